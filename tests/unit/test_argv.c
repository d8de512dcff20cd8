/* test_argv.c - pv_cmdline_classify, pv_lang_from_suffix and
 * pv_default_object against command lines as real builds write them.
 *
 * The expectations state what gcc 12 and clang 14 actually do with each
 * command line; the unusual ones were checked by running the compilers
 * (e.g. "-c -S" writes only foo.s with both, "--version -c foo.c" and
 * "-print-search-dirs -c foo.c" compile nothing, "-dumpbase x" and
 * "-dumpdir d/" take an argument and still compile).
 */
#define _POSIX_C_SOURCE 200809L
#include "argv.h"
#include "check.h"

#include <stdlib.h>
#include <string.h>

#define MAXARGS 64
#define MAXSRC 6
#define DONTCARE (-1)

enum { COMPILE = PV_MODE_COMPILE, LINK = PV_MODE_LINK, PASS = PV_MODE_PASS };
enum { NODEPS = PV_DEPS_NONE, MD = PV_DEPS_MD, MMD = PV_DEPS_MMD };

struct exp_src {
	const char *path, *lang;
};

struct row {
	int line;
	const char *argv[MAXARGS];	/* NULL-terminated */
	int mode;
	struct exp_src src[MAXSRC];	/* expected sources, path NULL ends */
	const char *output;
	int deps;
	const char *depfile;
	const char *target;
	int keep_argv;
	int query;		/* 0, 1 or DONTCARE */
	int nlink;		/* link inputs (objects, libraries, odd files) */
};

/* Unset members are expectations too: no output, no deps, no target,
 * keep_argv 0, query 0, no link inputs. */
#define ROW(...) { .line = __LINE__, __VA_ARGS__ }
#define ARGV(...) .argv = { __VA_ARGS__, NULL }
#define SRC(...) .src = { __VA_ARGS__ }

static const struct row rows[] = {
	/* ---- make-style ------------------------------------------------ */
	ROW(ARGV("gcc", "-O2", "-c", "foo.c", "-o", "foo.o"),
	    .mode = COMPILE, SRC({ "foo.c", "c" }), .output = "foo.o"),
	ROW(ARGV("cc", "-c", "foo.c"),
	    .mode = COMPILE, SRC({ "foo.c", "c" })),
	ROW(ARGV("gcc", "-g", "-O2", "-Wall", "-DNDEBUG", "-Iinclude", "-c",
	    "src/util.c", "-o", "build/util.o"),
	    .mode = COMPILE, SRC({ "src/util.c", "c" }),
	    .output = "build/util.o"),
	ROW(ARGV("g++", "-std=c++17", "-O2", "-c", "widget.cpp", "-o",
	    "widget.o"),
	    .mode = COMPILE, SRC({ "widget.cpp", "c++" }),
	    .output = "widget.o"),
	ROW(ARGV("gcc", "-c", "-o", "foo.o", "foo.c"),
	    .mode = COMPILE, SRC({ "foo.c", "c" }), .output = "foo.o"),

	/* ---- CMake (Makefile and Ninja generators) --------------------- */
	ROW(ARGV("/usr/bin/cc", "-DX", "-I/abs/inc", "-O2", "-g", "-o",
	    "CMakeFiles/t.dir/a.c.o", "-c", "/abs/src/a.c"),
	    .mode = COMPILE, SRC({ "/abs/src/a.c", "c" }),
	    .output = "CMakeFiles/t.dir/a.c.o"),
	ROW(ARGV("/usr/bin/cc", "-DX", "-I/abs/inc", "-O2", "-g", "-MD",
	    "-MT", "CMakeFiles/t.dir/a.c.o", "-MF",
	    "CMakeFiles/t.dir/a.c.o.d", "-o", "CMakeFiles/t.dir/a.c.o", "-c",
	    "/abs/src/a.c"),
	    .mode = COMPILE, SRC({ "/abs/src/a.c", "c" }),
	    .output = "CMakeFiles/t.dir/a.c.o", .deps = MD,
	    .depfile = "CMakeFiles/t.dir/a.c.o.d"),
	ROW(ARGV("/usr/bin/c++", "-DFOO_EXPORTS", "-I/abs/src/include",
	    "-isystem", "/abs/third/include", "-O3", "-DNDEBUG",
	    "-std=gnu++17", "-fPIC", "-MD", "-MT",
	    "src/CMakeFiles/foo.dir/b.cpp.o", "-MF",
	    "src/CMakeFiles/foo.dir/b.cpp.o.d", "-o",
	    "src/CMakeFiles/foo.dir/b.cpp.o", "-c", "/abs/src/b.cpp"),
	    .mode = COMPILE, SRC({ "/abs/src/b.cpp", "c++" }),
	    .output = "src/CMakeFiles/foo.dir/b.cpp.o", .deps = MD,
	    .depfile = "src/CMakeFiles/foo.dir/b.cpp.o.d"),
	/* precompile_headers(): the .gch is made from a .cxx given -x */
	ROW(ARGV("/usr/bin/c++", "-O2", "-Winvalid-pch", "-x", "c++-header",
	    "-include", "/abs/build/CMakeFiles/foo.dir/cmake_pch.hxx",
	    "-MD", "-MT", "CMakeFiles/foo.dir/cmake_pch.hxx.gch", "-MF",
	    "CMakeFiles/foo.dir/cmake_pch.hxx.gch.d", "-o",
	    "CMakeFiles/foo.dir/cmake_pch.hxx.gch", "-c",
	    "/abs/build/CMakeFiles/foo.dir/cmake_pch.hxx.cxx"),
	    .mode = PASS, .output = "CMakeFiles/foo.dir/cmake_pch.hxx.gch",
	    .deps = MD, .depfile = "CMakeFiles/foo.dir/cmake_pch.hxx.gch.d"),
	ROW(ARGV("/usr/bin/c++", "-O2", "-Winvalid-pch", "-include",
	    "/abs/build/CMakeFiles/foo.dir/cmake_pch.hxx", "-MD", "-MT",
	    "CMakeFiles/foo.dir/a.cpp.o", "-MF", "CMakeFiles/foo.dir/a.cpp.o.d",
	    "-o", "CMakeFiles/foo.dir/a.cpp.o", "-c", "/abs/src/a.cpp"),
	    .mode = COMPILE, SRC({ "/abs/src/a.cpp", "c++" }),
	    .output = "CMakeFiles/foo.dir/a.cpp.o", .deps = MD,
	    .depfile = "CMakeFiles/foo.dir/a.cpp.o.d"),
	ROW(ARGV("/usr/bin/clang++", "-Xclang", "-include-pch", "-Xclang",
	    "/abs/build/CMakeFiles/foo.dir/cmake_pch.hxx.pch", "-Xclang",
	    "-include", "-Xclang",
	    "/abs/build/CMakeFiles/foo.dir/cmake_pch.hxx", "-o",
	    "CMakeFiles/foo.dir/a.cpp.o", "-c", "/abs/src/a.cpp"),
	    .mode = COMPILE, SRC({ "/abs/src/a.cpp", "c++" }),
	    .output = "CMakeFiles/foo.dir/a.cpp.o"),
	/* compiler ABI detection: -v, so nothing may be added */
	ROW(ARGV("/usr/bin/cc", "-v", "-o",
	    "CMakeFiles/cmTC_7f3a2.dir/CMakeCCompilerABI.c.o", "-c",
	    "/usr/share/cmake-3.25/Modules/CMakeCCompilerABI.c"),
	    .mode = COMPILE,
	    SRC({ "/usr/share/cmake-3.25/Modules/CMakeCCompilerABI.c", "c" }),
	    .output = "CMakeFiles/cmTC_7f3a2.dir/CMakeCCompilerABI.c.o",
	    .keep_argv = 1),
	ROW(ARGV("/usr/bin/cc", "-O2", "-g", "CMakeFiles/t.dir/a.c.o",
	    "CMakeFiles/t.dir/b.c.o", "-o", "t", "-lm"),
	    .mode = LINK, .output = "t", .nlink = 2),
	ROW(ARGV("/usr/bin/cc", "-fPIC", "-O2", "-shared",
	    "-Wl,-soname,libx.so.1", "-o", "libx.so.1.2",
	    "CMakeFiles/x.dir/a.c.o", "CMakeFiles/x.dir/b.c.o"),
	    .mode = LINK, .output = "libx.so.1.2", .nlink = 2),

	/* ---- automake -------------------------------------------------- */
	ROW(ARGV("gcc", "-DHAVE_CONFIG_H", "-I.", "-I..", "-g", "-O2", "-MT",
	    "x.o", "-MD", "-MP", "-MF", ".deps/x.Tpo", "-c", "-o", "x.o",
	    "x.c"),
	    .mode = COMPILE, SRC({ "x.c", "c" }), .output = "x.o", .deps = MD,
	    .depfile = ".deps/x.Tpo"),
	ROW(ARGV("g++", "-DHAVE_CONFIG_H", "-I.", "-I../lib", "-g", "-O2",
	    "-MT", "prog-main.o", "-MD", "-MP", "-MF", ".deps/prog-main.Tpo",
	    "-c", "-o", "prog-main.o", "main.cc"),
	    .mode = COMPILE, SRC({ "main.cc", "c++" }),
	    .output = "prog-main.o", .deps = MD,
	    .depfile = ".deps/prog-main.Tpo"),
	ROW(ARGV("gcc", "-g", "-O2", "-o", "prog", "prog-main.o",
	    "prog-util.o", "../lib/libfoo.a", "-lz"),
	    .mode = LINK, .output = "prog", .nlink = 3),

	/* ---- libtool --------------------------------------------------- */
	ROW(ARGV("gcc", "-DHAVE_CONFIG_H", "-I.", "-I..", "-g", "-O2", "-MT",
	    "libfoo_la-foo.lo", "-MD", "-MP", "-MF", ".deps/libfoo_la-foo.Tpo",
	    "-c", "foo.c", "-fPIC", "-DPIC", "-o", ".libs/libfoo_la-foo.o"),
	    .mode = COMPILE, SRC({ "foo.c", "c" }),
	    .output = ".libs/libfoo_la-foo.o", .deps = MD,
	    .depfile = ".deps/libfoo_la-foo.Tpo"),
	ROW(ARGV("gcc", "-DHAVE_CONFIG_H", "-I.", "-I..", "-g", "-O2", "-MT",
	    "libfoo_la-foo.lo", "-MD", "-MP", "-MF", ".deps/libfoo_la-foo.Tpo",
	    "-c", "foo.c", "-o", "libfoo_la-foo.o"),
	    .mode = COMPILE, SRC({ "foo.c", "c" }), .output = "libfoo_la-foo.o",
	    .deps = MD, .depfile = ".deps/libfoo_la-foo.Tpo"),
	ROW(ARGV("gcc", "-shared", "-fPIC", "-DPIC", ".libs/libfoo_la-foo.o",
	    "-g", "-O2", "-Wl,-soname", "-Wl,libfoo.so.0", "-o",
	    ".libs/libfoo.so.0.0.0"),
	    .mode = LINK, .output = ".libs/libfoo.so.0.0.0", .nlink = 1),

	/* ---- Linux kernel (Kbuild) ------------------------------------- */
	ROW(ARGV("gcc", "-Wp,-MMD,kernel/.fork.o.d", "-nostdinc",
	    "-I./arch/x86/include", "-I./arch/x86/include/generated",
	    "-I./include", "-include", "./include/linux/compiler-version.h",
	    "-include", "./include/linux/kconfig.h", "-include",
	    "./include/linux/compiler_types.h", "-D__KERNEL__",
	    "-fmacro-prefix-map=./=", "-std=gnu11", "-O2",
	    "-DKBUILD_MODFILE=\"kernel/fork\"", "-DKBUILD_BASENAME=\"fork\"",
	    "-DKBUILD_MODNAME=\"fork\"", "-D__KBUILD_MODNAME=kmod_fork", "-c",
	    "-o", "kernel/fork.o", "kernel/fork.c"),
	    .mode = COMPILE, SRC({ "kernel/fork.c", "c" }),
	    .output = "kernel/fork.o", .deps = MMD,
	    .depfile = "kernel/.fork.o.d"),
	ROW(ARGV("gcc", "-Wp,-MMD,arch/x86/entry/.entry_64.o.d", "-nostdinc",
	    "-I./arch/x86/include", "-include", "./include/linux/kconfig.h",
	    "-D__KERNEL__", "-D__ASSEMBLY__", "-fno-PIE", "-m64", "-c", "-o",
	    "arch/x86/entry/entry_64.o", "arch/x86/entry/entry_64.S"),
	    .mode = COMPILE,
	    SRC({ "arch/x86/entry/entry_64.S", "assembler-with-cpp" }),
	    .output = "arch/x86/entry/entry_64.o", .deps = MMD,
	    .depfile = "arch/x86/entry/.entry_64.o.d"),
	ROW(ARGV("gcc", "-E", "-Wp,-MMD,arch/x86/kernel/.vmlinux.lds.d",
	    "-nostdinc", "-P", "-Ux86", "-D__ASSEMBLY__", "-DLINKER_SCRIPT",
	    "-o", "arch/x86/kernel/vmlinux.lds",
	    "arch/x86/kernel/vmlinux.lds.S"),
	    .mode = PASS,
	    SRC({ "arch/x86/kernel/vmlinux.lds.S", "assembler-with-cpp" }),
	    .output = "arch/x86/kernel/vmlinux.lds", .deps = MMD,
	    .depfile = "arch/x86/kernel/.vmlinux.lds.d"),
	ROW(ARGV("gcc", "-Wp,-MMD,kernel/.bounds.s.d", "-nostdinc",
	    "-I./include", "-fverbose-asm", "-S", "-o", "kernel/bounds.s",
	    "kernel/bounds.c"),
	    .mode = PASS, SRC({ "kernel/bounds.c", "c" }),
	    .output = "kernel/bounds.s", .deps = MMD,
	    .depfile = "kernel/.bounds.s.d"),
	/* cc-option: a real compile of /dev/null as C (gcc writes it) */
	ROW(ARGV("gcc", "-Werror", "-Wno-address-of-packed-member", "-c",
	    "-x", "c", "/dev/null", "-o", ".tmp_1234/tmp"),
	    .mode = COMPILE, SRC({ "/dev/null", "c" }),
	    .output = ".tmp_1234/tmp"),
	/* as-instr: source from stdin */
	ROW(ARGV("gcc", "-D__ASSEMBLY__", "-c", "-x", "assembler-with-cpp",
	    "-o", "/dev/null", "-"),
	    .mode = PASS, .output = "/dev/null"),

	/* ---- meson (ninja) --------------------------------------------- */
	ROW(ARGV("cc", "-Ilibfoo.so.p", "-I.", "-I..",
	    "-fdiagnostics-color=always", "-D_FILE_OFFSET_BITS=64", "-Wall",
	    "-Winvalid-pch", "-O0", "-g", "-fPIC", "-MD", "-MQ",
	    "libfoo.so.p/foo.c.o", "-MF", "libfoo.so.p/foo.c.o.d", "-o",
	    "libfoo.so.p/foo.c.o", "-c", "../foo.c"),
	    .mode = COMPILE, SRC({ "../foo.c", "c" }),
	    .output = "libfoo.so.p/foo.c.o", .deps = MD,
	    .depfile = "libfoo.so.p/foo.c.o.d"),
	ROW(ARGV("c++", "-Iprog.p", "-I.", "-I..",
	    "-fdiagnostics-color=always", "-D_GLIBCXX_ASSERTIONS=1", "-Wall",
	    "-Winvalid-pch", "-std=c++17", "-O0", "-g", "-MD", "-MQ",
	    "prog.p/main.cpp.o", "-MF", "prog.p/main.cpp.o.d", "-o",
	    "prog.p/main.cpp.o", "-c", "../main.cpp"),
	    .mode = COMPILE, SRC({ "../main.cpp", "c++" }),
	    .output = "prog.p/main.cpp.o", .deps = MD,
	    .depfile = "prog.p/main.cpp.o.d"),
	ROW(ARGV("cc", "-o", "prog", "prog.p/main.c.o", "-Wl,--as-needed",
	    "-Wl,--no-undefined", "-Wl,--start-group", "libfoo.so",
	    "-Wl,--end-group"),
	    .mode = LINK, .output = "prog", .nlink = 2),

	/* ---- several sources under -c ---------------------------------- */
	ROW(ARGV("gcc", "-O2", "-c", "a.c", "b.c", "c.c"),
	    .mode = COMPILE, SRC({ "a.c", "c" }, { "b.c", "c" }, { "c.c", "c" })),
	ROW(ARGV("gcc", "-c", "a.c", "b.cpp", "c.S", "d.s"),
	    .mode = COMPILE, SRC({ "a.c", "c" }, { "b.cpp", "c++" },
	    { "c.S", "assembler-with-cpp" }, { "d.s", "assembler" })),
	ROW(ARGV("gcc", "-c", "foo.c", "bar.o"),
	    .mode = COMPILE, SRC({ "foo.c", "c" }), .nlink = 1),

	/* ---- -x ---------------------------------------------------------- */
	ROW(ARGV("gcc", "-c", "-x", "c", "foo.txt"),
	    .mode = COMPILE, SRC({ "foo.txt", "c" })),
	/* "-x c after last input file has no effect": foo.txt is a linker
	 * input, unused under -c; nothing is compiled */
	ROW(ARGV("gcc", "-c", "foo.txt", "-x", "c"),
	    .mode = PASS, .nlink = 1),
	ROW(ARGV("gcc", "-c", "-x", "c++", "foo.c", "-x", "none", "bar.c"),
	    .mode = COMPILE, SRC({ "foo.c", "c++" }, { "bar.c", "c" })),
	ROW(ARGV("gcc", "-c", "foo.c", "-x", "c++", "bar.c"),
	    .mode = COMPILE, SRC({ "foo.c", "c" }, { "bar.c", "c++" })),
	ROW(ARGV("g++", "-c", "-xc++", "foo.c"),
	    .mode = COMPILE, SRC({ "foo.c", "c++" })),
	ROW(ARGV("gcc", "-c", "--language=c++", "foo.c"),
	    .mode = COMPILE, SRC({ "foo.c", "c++" })),
	ROW(ARGV("gcc", "-c", "-x", "assembler-with-cpp", "start.asm", "-o",
	    "start.o"),
	    .mode = COMPILE, SRC({ "start.asm", "assembler-with-cpp" }),
	    .output = "start.o"),
	/* a header compiled as C makes foo.o, not a .gch */
	ROW(ARGV("gcc", "-c", "-x", "c", "foo.h"),
	    .mode = COMPILE, SRC({ "foo.h", "c" })),

	/* ---- suffixes ---------------------------------------------------- */
	ROW(ARGV("gcc", "-c", "foo.i"),
	    .mode = COMPILE, SRC({ "foo.i", "cpp-output" })),
	ROW(ARGV("g++", "-c", "foo.ii"),
	    .mode = COMPILE, SRC({ "foo.ii", "c++-cpp-output" })),
	ROW(ARGV("g++", "-c", "Foo.C", "-o", "Foo.o"),
	    .mode = COMPILE, SRC({ "Foo.C", "c++" }), .output = "Foo.o"),
	ROW(ARGV("g++", "-c", "foo.cc"),
	    .mode = COMPILE, SRC({ "foo.cc", "c++" })),
	ROW(ARGV("gcc", "-c", "-o", "crt0.o", "crt0.s"),
	    .mode = COMPILE, SRC({ "crt0.s", "assembler" }), .output = "crt0.o"),
	ROW(ARGV("gcc", "-c", "boot.S"),
	    .mode = COMPILE, SRC({ "boot.S", "assembler-with-cpp" })),
	ROW(ARGV("g++", "-c", "a.cxx", "b.c++", "c.cp", "d.CPP"),
	    .mode = COMPILE, SRC({ "a.cxx", "c++" }, { "b.c++", "c++" },
	    { "c.cp", "c++" }, { "d.CPP", "c++" })),
	/* gcc: "foo.CC: linker input file unused because linking not done" */
	ROW(ARGV("g++", "-c", "foo.CC"),
	    .mode = PASS, .nlink = 1),
	ROW(ARGV("gcc", "-c", "foo.f90"),
	    .mode = PASS, .nlink = 1),

	/* ---- -o forms ---------------------------------------------------- */
	ROW(ARGV("gcc", "-c", "foo.c", "-ofoo.o"),
	    .mode = COMPILE, SRC({ "foo.c", "c" }), .output = "foo.o"),
	ROW(ARGV("gcc", "-c", "foo.c", "--output=out/foo.o"),
	    .mode = COMPILE, SRC({ "foo.c", "c" }), .output = "out/foo.o"),
	ROW(ARGV("gcc", "-c", "foo.c", "--output", "out/foo.o"),
	    .mode = COMPILE, SRC({ "foo.c", "c" }), .output = "out/foo.o"),
	ROW(ARGV("gcc", "-c", "foo.c", "-o", "gen/foo.c"),
	    .mode = COMPILE, SRC({ "foo.c", "c" }), .output = "gen/foo.c"),
	ROW(ARGV("gcc", "-o", "foo.c.o", "-c", "foo.c"),
	    .mode = COMPILE, SRC({ "foo.c", "c" }), .output = "foo.c.o"),

	/* ---- queries ----------------------------------------------------- */
	ROW(ARGV("gcc", "--version"), .mode = PASS, .query = 1),
	/* -v alone prints the version; it is verbose, keep_argv, and
	 * passes through for want of input */
	ROW(ARGV("gcc", "-v"), .mode = PASS, .keep_argv = 1,
	    .query = DONTCARE),
	ROW(ARGV("gcc", "-###", "-c", "foo.c"),
	    .mode = PASS, SRC({ "foo.c", "c" }), .query = 1),
	ROW(ARGV("gcc", "-dumpmachine"), .mode = PASS, .query = 1),
	ROW(ARGV("gcc", "-dumpversion"), .mode = PASS, .query = 1),
	ROW(ARGV("gcc", "-dumpfullversion"), .mode = PASS, .query = 1),
	ROW(ARGV("gcc", "-dumpspecs"), .mode = PASS, .query = 1),
	ROW(ARGV("gcc", "-print-prog-name=cc1"), .mode = PASS, .query = 1),
	ROW(ARGV("gcc", "-print-search-dirs"), .mode = PASS, .query = 1),
	ROW(ARGV("gcc", "-print-file-name=libgcc.a"), .mode = PASS,
	    .query = 1),
	ROW(ARGV("gcc", "-print-libgcc-file-name"), .mode = PASS, .query = 1),
	ROW(ARGV("gcc", "-print-multiarch"), .mode = PASS, .query = 1),
	ROW(ARGV("clang", "--print-resource-dir"), .mode = PASS, .query = 1),
	ROW(ARGV("gcc", "--help"), .mode = PASS, .query = 1),
	ROW(ARGV("gcc", "--target-help"), .mode = PASS, .query = 1),
	ROW(ARGV("gcc", "-qversion"), .mode = PASS, .query = 1),
	/* a query with a compile: the driver answers and compiles nothing */
	ROW(ARGV("gcc", "-O2", "-dumpmachine", "-c", "foo.c"),
	    .mode = PASS, SRC({ "foo.c", "c" }), .query = 1),
	ROW(ARGV("gcc", "--version", "-c", "foo.c"),
	    .mode = PASS, SRC({ "foo.c", "c" }), .query = 1),
	ROW(ARGV("gcc", "-print-search-dirs", "-c", "foo.c"),
	    .mode = PASS, SRC({ "foo.c", "c" }), .query = 1),
	/* --help=CLASS is not a query for gcc 12: foo.o is written */
	ROW(ARGV("gcc", "--help=warnings", "-c", "foo.c"),
	    .mode = COMPILE, SRC({ "foo.c", "c" })),

	/* ---- stop before the object ------------------------------------ */
	ROW(ARGV("gcc", "-E", "foo.c"), .mode = PASS, SRC({ "foo.c", "c" })),
	ROW(ARGV("gcc", "-E", "-P", "-o", "foo.i", "foo.c"),
	    .mode = PASS, SRC({ "foo.c", "c" }), .output = "foo.i"),
	ROW(ARGV("gcc", "-S", "-O2", "foo.c", "-o", "foo.s"),
	    .mode = PASS, SRC({ "foo.c", "c" }), .output = "foo.s"),
	/* gcc 12 and clang 14 both write only foo.s */
	ROW(ARGV("gcc", "-c", "-S", "foo.c"),
	    .mode = PASS, SRC({ "foo.c", "c" })),
	ROW(ARGV("gcc", "-S", "-c", "foo.c"),
	    .mode = PASS, SRC({ "foo.c", "c" })),
	ROW(ARGV("gcc", "-E", "-c", "foo.c"),
	    .mode = PASS, SRC({ "foo.c", "c" })),
	ROW(ARGV("gcc", "-M", "foo.c"), .mode = PASS, SRC({ "foo.c", "c" })),
	ROW(ARGV("gcc", "-MM", "-MG", "-MT", "foo.o", "foo.c"),
	    .mode = PASS, SRC({ "foo.c", "c" })),
	ROW(ARGV("gcc", "-M", "-c", "foo.c"),
	    .mode = PASS, SRC({ "foo.c", "c" })),
	ROW(ARGV("gcc", "-MD", "-E", "foo.c", "-o", "foo.i"),
	    .mode = PASS, SRC({ "foo.c", "c" }), .output = "foo.i",
	    .deps = MD),
	ROW(ARGV("gcc", "-Wp,-MD,foo.d", "-E", "foo.c"),
	    .mode = PASS, SRC({ "foo.c", "c" }), .deps = MD,
	    .depfile = "foo.d"),
	ROW(ARGV("gcc", "-fsyntax-only", "-Wall", "foo.c"),
	    .mode = PASS, SRC({ "foo.c", "c" })),
	ROW(ARGV("gcc", "-fsyntax-only", "-c", "foo.c"),
	    .mode = PASS, SRC({ "foo.c", "c" })),
	ROW(ARGV("gcc", "-c", "foo.c", "-o", "-"),
	    .mode = PASS, SRC({ "foo.c", "c" }), .output = "-"),
	ROW(ARGV("gcc", "-x", "c", "-c", "-", "-o", "foo.o"),
	    .mode = PASS, .output = "foo.o"),
	/* qmake's probe */
	ROW(ARGV("g++", "-pipe", "-xc++", "-E", "-v", "-"),
	    .mode = PASS, .keep_argv = 1),
	ROW(ARGV("gcc", "-E", "-dM", "-x", "c", "/dev/null"),
	    .mode = PASS, SRC({ "/dev/null", "c" })),

	/* ---- configure probes -------------------------------------------- */
	ROW(ARGV("gcc", "-c", "-g", "-O2", "conftest.c"),
	    .mode = PASS, SRC({ "conftest.c", "c" })),
	ROW(ARGV("gcc", "-c", "conftest.c", "-o", "conftest2.o"),
	    .mode = PASS, SRC({ "conftest.c", "c" }), .output = "conftest2.o"),
	ROW(ARGV("g++", "-c", "-g", "-O2", "conftest.cpp"),
	    .mode = PASS, SRC({ "conftest.cpp", "c++" })),
	ROW(ARGV("gcc", "-o", "conftest", "-g", "-O2", "conftest.c", "-lm"),
	    .mode = PASS, SRC({ "conftest.c", "c" }), .output = "conftest"),
	ROW(ARGV("gcc", "-o", "conftest", "conftest.o", "-lm"),
	    .mode = PASS, .output = "conftest", .nlink = 1),
	ROW(ARGV("gcc", "-o", "prog", "-g", "-O2", "prog.c", "-lm"),
	    .mode = LINK, SRC({ "prog.c", "c" }), .output = "prog"),
	ROW(ARGV("gcc", "-E", "conftest.c"),
	    .mode = PASS, SRC({ "conftest.c", "c" })),
	ROW(ARGV("gcc", "-V"), .mode = PASS),

	/* ---- links ------------------------------------------------------- */
	ROW(ARGV("gcc", "a.o", "b.o", "-o", "prog"),
	    .mode = LINK, .output = "prog", .nlink = 2),
	ROW(ARGV("gcc", "main.c", "-o", "prog"),
	    .mode = LINK, SRC({ "main.c", "c" }), .output = "prog"),
	ROW(ARGV("gcc", "-shared", "-o", "libx.so", "a.o"),
	    .mode = LINK, .output = "libx.so", .nlink = 1),
	ROW(ARGV("gcc", "-o", "prog", "main.o", "-L/opt/lib", "-lfoo",
	    "-Wl,-rpath,/opt/lib"),
	    .mode = LINK, .output = "prog", .nlink = 1),
	ROW(ARGV("gcc", "-o", "prog", "main.o", "-L", "/opt/lib", "-l", "foo",
	    "-Xlinker", "--gc-sections", "-T", "link.ld"),
	    .mode = LINK, .output = "prog", .nlink = 1),
	ROW(ARGV("gcc", "-static", "-o", "prog", "main.o", "libutil.a"),
	    .mode = LINK, .output = "prog", .nlink = 2),
	ROW(ARGV("gcc", "-flto", "-O2", "-o", "prog", "a.o", "b.o"),
	    .mode = LINK, .output = "prog", .nlink = 2),

	/* ---- precompiled headers ----------------------------------------- */
	ROW(ARGV("gcc", "-c", "foo.h"), .mode = PASS),
	ROW(ARGV("g++", "-x", "c++-header", "-c", "stdafx.hpp", "-o",
	    "stdafx.hpp.gch"),
	    .mode = PASS, .output = "stdafx.hpp.gch"),
	ROW(ARGV("g++", "-c", "pch.hh"), .mode = PASS),
	/* gcc writes foo.o and foo.h.gch: a mixed command passes through */
	ROW(ARGV("gcc", "-c", "foo.c", "foo.h"),
	    .mode = PASS, SRC({ "foo.c", "c" })),
	ROW(ARGV("gcc", "-c", "-x", "c-header", "all.h", "-x", "none", "a.c"),
	    .mode = PASS, SRC({ "a.c", "c" })),

	/* ---- clang targets ----------------------------------------------- */
	ROW(ARGV("clang", "-target", "aarch64-linux-gnu", "-c", "foo.c", "-o",
	    "foo.o"),
	    .mode = COMPILE, SRC({ "foo.c", "c" }), .output = "foo.o",
	    .target = "aarch64-linux-gnu"),
	ROW(ARGV("clang", "--target=arm-none-eabi", "-mcpu=cortex-m4",
	    "-mthumb", "-c", "startup.c", "-o", "startup.o"),
	    .mode = COMPILE, SRC({ "startup.c", "c" }), .output = "startup.o",
	    .target = "arm-none-eabi"),
	ROW(ARGV("clang", "--target=aarch64-none-linux-android21",
	    "--sysroot=/ndk/sysroot", "-fPIC", "-MD", "-MT", "foo.o", "-MF",
	    "foo.o.d", "-o", "foo.o", "-c", "/src/foo.c"),
	    .mode = COMPILE, SRC({ "/src/foo.c", "c" }), .output = "foo.o",
	    .deps = MD, .depfile = "foo.o.d",
	    .target = "aarch64-none-linux-android21"),
	ROW(ARGV("clang", "-target", "x86_64-apple-darwin", "-arch", "x86_64",
	    "-c", "foo.c"),
	    .mode = COMPILE, SRC({ "foo.c", "c" }),
	    .target = "x86_64-apple-darwin"),

	/* ---- the compiler records its own command line ----------------- */
	ROW(ARGV("clang", "-g", "-grecord-command-line", "-c", "foo.c", "-o",
	    "foo.o"),
	    .mode = COMPILE, SRC({ "foo.c", "c" }), .output = "foo.o",
	    .keep_argv = 1),
	ROW(ARGV("clang", "-frecord-command-line", "-c", "foo.c"),
	    .mode = COMPILE, SRC({ "foo.c", "c" }), .keep_argv = 1),
	ROW(ARGV("gcc", "-frecord-gcc-switches", "-c", "foo.c"),
	    .mode = COMPILE, SRC({ "foo.c", "c" }), .keep_argv = 1),
	ROW(ARGV("gcc", "-v", "-c", "foo.c", "-o", "foo.o"),
	    .mode = COMPILE, SRC({ "foo.c", "c" }), .output = "foo.o",
	    .keep_argv = 1),
	ROW(ARGV("clang", "-grecord-command-line", "-gno-record-command-line",
	    "-c", "foo.c"),
	    .mode = COMPILE, SRC({ "foo.c", "c" })),
	ROW(ARGV("gcc", "-v", "-fno-record-gcc-switches", "-c", "foo.c"),
	    .mode = COMPILE, SRC({ "foo.c", "c" }), .keep_argv = 1),
	/* gcc's default -grecord-gcc-switches leaves -MD/-MF out of
	 * DW_AT_producer (checked with readelf), so options may be added */
	ROW(ARGV("gcc", "-g", "-O2", "-c", "foo.c"),
	    .mode = COMPILE, SRC({ "foo.c", "c" })),

	/* ---- -dumpbase/-dumpdir take a value and are not queries ------- */
	ROW(ARGV("gcc", "-dumpbase", "foo", "-c", "foo.c", "-o", "foo.o"),
	    .mode = COMPILE, SRC({ "foo.c", "c" }), .output = "foo.o"),
	ROW(ARGV("gcc", "-dumpdir", "obj/", "-c", "foo.c"),
	    .mode = COMPILE, SRC({ "foo.c", "c" })),
	ROW(ARGV("gcc", "-dumpbase-ext", ".c", "-dumpbase", "foo.c", "-c",
	    "foo.c"),
	    .mode = COMPILE, SRC({ "foo.c", "c" })),

	/* ---- dependency files -------------------------------------------- */
	ROW(ARGV("gcc", "-MMD", "-MFdeps/foo.d", "-c", "foo.c"),
	    .mode = COMPILE, SRC({ "foo.c", "c" }), .deps = MMD,
	    .depfile = "deps/foo.d"),
	ROW(ARGV("gcc", "-MD", "-MF", "deps/foo.d", "-c", "foo.c"),
	    .mode = COMPILE, SRC({ "foo.c", "c" }), .deps = MD,
	    .depfile = "deps/foo.d"),
	/* -MT's value looks like a source and is not one */
	ROW(ARGV("gcc", "-MD", "-MP", "-MT", "foo.c", "-MF", "foo.d", "-c",
	    "foo.c"),
	    .mode = COMPILE, SRC({ "foo.c", "c" }), .deps = MD,
	    .depfile = "foo.d"),
	ROW(ARGV("gcc", "-MMD", "-MP", "-c", "foo.c", "-o", "foo.o"),
	    .mode = COMPILE, SRC({ "foo.c", "c" }), .output = "foo.o",
	    .deps = MMD),
	ROW(ARGV("gcc", "-Wp,-MD,.foo.o.d", "-c", "foo.c"),
	    .mode = COMPILE, SRC({ "foo.c", "c" }), .deps = MD,
	    .depfile = ".foo.o.d"),
	/* glibc */
	ROW(ARGV("gcc", "-MMD", "-MQ", "$(objpfx)foo.o", "-MF", "foo.d", "-c",
	    "foo.c"),
	    .mode = COMPILE, SRC({ "foo.c", "c" }), .deps = MMD,
	    .depfile = "foo.d"),
	ROW(ARGV("clang", "-MJ", "foo.o.json", "-c", "foo.c"),
	    .mode = COMPILE, SRC({ "foo.c", "c" })),

	/* ---- options whose value is the next word ---------------------- */
	ROW(ARGV("clang", "-Xclang", "-fno-pch-timestamp", "-c", "foo.c"),
	    .mode = COMPILE, SRC({ "foo.c", "c" })),
	/* "-x86-..." belongs to -mllvm; it is not -x */
	ROW(ARGV("clang", "-mllvm", "-x86-asm-syntax=intel", "-c", "foo.c"),
	    .mode = COMPILE, SRC({ "foo.c", "c" })),
	ROW(ARGV("clang", "-Xclang", "-load", "-Xclang", "/opt/plugin.so",
	    "-c", "foo.c"),
	    .mode = COMPILE, SRC({ "foo.c", "c" })),
	ROW(ARGV("gcc", "-I", "include", "-I", "/abs/inc", "-iquote", "src",
	    "-isystem", "/usr/local/include", "-idirafter", "extra", "-c",
	    "foo.c"),
	    .mode = COMPILE, SRC({ "foo.c", "c" })),
	ROW(ARGV("gcc", "-I", "gen.c", "-c", "foo.c"),
	    .mode = COMPILE, SRC({ "foo.c", "c" })),
	ROW(ARGV("gcc", "-include", "config.h", "-c", "foo.c"),
	    .mode = COMPILE, SRC({ "foo.c", "c" })),
	ROW(ARGV("gcc", "-imacros", "macros.h", "-c", "foo.c"),
	    .mode = COMPILE, SRC({ "foo.c", "c" })),
	ROW(ARGV("clang", "-include-pch", "pre.h.pch", "-c", "foo.c"),
	    .mode = COMPILE, SRC({ "foo.c", "c" })),
	ROW(ARGV("gcc", "-D", "NDEBUG", "-U", "DEBUG", "-c", "foo.c"),
	    .mode = COMPILE, SRC({ "foo.c", "c" })),

	/* ---- other common flags ------------------------------------------ */
	ROW(ARGV("gcc", "-flto", "-O2", "-c", "foo.c", "-o", "foo.o"),
	    .mode = COMPILE, SRC({ "foo.c", "c" }), .output = "foo.o"),
	ROW(ARGV("gcc", "-save-temps", "-c", "foo.c"),
	    .mode = COMPILE, SRC({ "foo.c", "c" })),
	ROW(ARGV("gcc", "-save-temps=obj", "-pipe", "-O2", "-c", "foo.c", "-o",
	    "obj/foo.o"),
	    .mode = COMPILE, SRC({ "foo.c", "c" }), .output = "obj/foo.o"),
	ROW(ARGV("gcc", "-pipe", "-c", "foo.c"),
	    .mode = COMPILE, SRC({ "foo.c", "c" })),

	/* ---- cross compilers --------------------------------------------- */
	ROW(ARGV("arm-none-eabi-gcc", "-mcpu=cortex-m4", "-mthumb", "-c",
	    "startup.s", "-o", "startup.o"),
	    .mode = COMPILE, SRC({ "startup.s", "assembler" }),
	    .output = "startup.o"),
	ROW(ARGV("aarch64-linux-gnu-gcc", "-O2", "-c", "foo.c", "-o", "foo.o"),
	    .mode = COMPILE, SRC({ "foo.c", "c" }), .output = "foo.o"),
	ROW(ARGV("x86_64-w64-mingw32-gcc", "-c", "foo.c", "-o", "foo.obj"),
	    .mode = COMPILE, SRC({ "foo.c", "c" }), .output = "foo.obj"),
	ROW(ARGV("riscv64-unknown-elf-gcc", "-march=rv64gc", "-mabi=lp64d",
	    "-specs=nano.specs", "-c", "foo.c"),
	    .mode = COMPILE, SRC({ "foo.c", "c" })),

	/* ---- nothing to do ----------------------------------------------- */
	ROW(ARGV("gcc"), .mode = PASS),
	ROW(ARGV("gcc", "-c"), .mode = PASS),
	ROW(ARGV("gcc", "-c", "foo.o"), .mode = PASS, .nlink = 1),
};

/* Cases that expose bugs in argv.c.  They are kept here, out of the
 * table above; they run with it. */
static const struct row bug_rows[] = {
	/* Fixed bug (regression case): gcc and clang accept --verbose for -v and print the
	 * commands they run; keep_argv stays 0, so provcc would add its
	 * -MD -MF to a command whose printed output the user sees. */
	ROW(ARGV("gcc", "--verbose", "-c", "foo.c"),
	    .mode = COMPILE, SRC({ "foo.c", "c" }), .keep_argv = 1),
	/* Fixed bug (regression case): --preprocess is gcc's and clang's long form of -E; with -c
	 * both print preprocessed text and write no object, yet the
	 * command is classified COMPILE. */
	ROW(ARGV("gcc", "-c", "--preprocess", "foo.c"),
	    .mode = PASS, SRC({ "foo.c", "c" })),
	/* Fixed bug (regression case): --assemble is the long form of -S; "-c --assemble" writes
	 * foo.s only (gcc 12 and clang 14), classified COMPILE. */
	ROW(ARGV("gcc", "-c", "--assemble", "foo.c"),
	    .mode = PASS, SRC({ "foo.c", "c" })),
	/* Fixed bug (regression case): --compile is the long form of -c; both compilers write
	 * foo.o, but the command is classified LINK. */
	ROW(ARGV("gcc", "--compile", "foo.c", "-o", "foo.o"),
	    .mode = COMPILE, SRC({ "foo.c", "c" }), .output = "foo.o"),
	/* Fixed bug (regression case): -Wp splits its argument at commas; gcc writes x.d (with
	 * -MP's phony targets), but depfile is taken as "x.d,-MP". */
	ROW(ARGV("gcc", "-Wp,-MD,x.d,-MP", "-c", "foo.c"),
	    .mode = COMPILE, SRC({ "foo.c", "c" }), .deps = MD,
	    .depfile = "x.d"),
	/* Fixed bug (regression case): .mii is Objective-C++ that is not preprocessed (gcc 12
	 * runs cc1objplus on it) but has no entry in the suffix table,
	 * so it counts as a link input and nothing is compiled. */
	ROW(ARGV("g++", "-c", "foo.mii"),
	    .mode = COMPILE, SRC({ "foo.mii", "objective-c++-cpp-output" })),
};

static const char *mode_name(int m)
{
	switch (m) {
	case PV_MODE_COMPILE: return "COMPILE";
	case PV_MODE_LINK: return "LINK";
	case PV_MODE_PASS: return "PASS";
	}
	return "?";
}

static const char *deps_name(int d)
{
	switch (d) {
	case PV_DEPS_NONE: return "NONE";
	case PV_DEPS_MD: return "MD";
	case PV_DEPS_MMD: return "MMD";
	}
	return "?";
}

/* Append one mismatch to the report for a row. */
__attribute__((format(printf, 2, 3)))
static void note(char *buf, const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;

	if (n + 4 >= 2048)
		return;
	if (n)
		strcat(buf, "; ");
	n = strlen(buf);
	va_start(ap, fmt);
	vsnprintf(buf + n, 2048 - n, fmt, ap);
	va_end(ap);
}

static void note_str(char *buf, const char *what, const char *got,
    const char *want)
{
	if (!check_streq(got, want))
		note(buf, "%s: got %s, want %s", what, check_q(got),
		    check_q(want));
}

/* One line per failing row, naming every member that differs. */
static void run_row(const struct row *r)
{
	char *args[MAXARGS];
	char buf[2048] = "";
	struct pv_cmdline cl;
	size_t want_nsrc = 0, i;
	int argc = 0;

	while (r->argv[argc])
		argc++;
	for (i = 0; i < (size_t)argc; i++)
		args[i] = strdup(r->argv[i]);
	args[argc] = NULL;
	while (want_nsrc < MAXSRC && r->src[want_nsrc].path)
		want_nsrc++;

	check_total++;
	memset(&cl, 0xa5, sizeof(cl));
	if (pv_cmdline_classify(&cl, argc, args) != 0) {
		check_fail(__FILE__, r->line, "[%s ...] classify failed",
		    r->argv[0]);
		goto out;
	}
	if ((int)cl.mode != r->mode)
		note(buf, "mode: got %s, want %s", mode_name((int)cl.mode),
		    mode_name(r->mode));
	if (cl.nsources != want_nsrc)
		note(buf, "nsources: got %zu, want %zu", cl.nsources,
		    want_nsrc);
	for (i = 0; i < cl.nsources && i < want_nsrc; i++) {
		const struct pv_source *s = &cl.sources[i];
		char what[32];

		snprintf(what, sizeof(what), "source[%zu]", i);
		note_str(buf, what, s->path, r->src[i].path);
		snprintf(what, sizeof(what), "source[%zu].lang", i);
		note_str(buf, what, s->lang, r->src[i].lang);
		if (s->argi >= (size_t)argc || s->path != args[s->argi])
			note(buf, "source[%zu].argi %zu does not point at"
			    " its argument", i, s->argi);
	}
	note_str(buf, "output", cl.output, r->output);
	if ((int)cl.deps != r->deps)
		note(buf, "deps: got %s, want %s", deps_name((int)cl.deps),
		    deps_name(r->deps));
	note_str(buf, "depfile", cl.depfile, r->depfile);
	note_str(buf, "target", cl.target, r->target);
	if (cl.keep_argv != r->keep_argv)
		note(buf, "keep_argv: got %d, want %d", cl.keep_argv,
		    r->keep_argv);
	if (r->query != DONTCARE && cl.query != r->query)
		note(buf, "query: got %d, want %d", cl.query, r->query);
	if (cl.nlinkinputs != (size_t)r->nlink)
		note(buf, "nlinkinputs: got %zu, want %d", cl.nlinkinputs,
		    r->nlink);
	/* PV_MODE_PASS always says why; the others never do. */
	if ((cl.mode == PV_MODE_PASS) != (cl.why != NULL))
		note(buf, "why: got %s for mode %s", check_q(cl.why),
		    mode_name((int)cl.mode));
	if (buf[0]) {
		char cmd[1024] = "";
		size_t k;

		for (k = 0; k < (size_t)argc; k++) {
			size_t n = strlen(cmd);

			snprintf(cmd + n, sizeof(cmd) - n, "%s%s",
			    k ? " " : "", r->argv[k]);
		}
		check_fail(__FILE__, r->line, "[%s] %s", cmd, buf);
	}
	pv_cmdline_free(&cl);
	CHECK(cl.sources == NULL && cl.nsources == 0);
out:
	for (i = 0; i < (size_t)argc; i++)
		free(args[i]);
}

struct suffix_case {
	const char *path, *lang;
};

static const struct suffix_case suffixes[] = {
	{ "foo.c", "c" },
	{ "dir/foo.i", "cpp-output" },
	{ "foo.ii", "c++-cpp-output" },
	{ "foo.cc", "c++" }, { "foo.cp", "c++" }, { "foo.cxx", "c++" },
	{ "foo.cpp", "c++" }, { "foo.CPP", "c++" }, { "foo.c++", "c++" },
	{ "foo.C", "c++" },
	{ "foo.m", "objective-c" },
	{ "foo.mi", "objective-c-cpp-output" },
	{ "foo.mm", "objective-c++" }, { "foo.M", "objective-c++" },
	{ "foo.s", "assembler" },
	{ "foo.S", "assembler-with-cpp" }, { "foo.sx", "assembler-with-cpp" },
	{ "foo.h", "c-header" },
	{ "foo.hh", "c++-header" }, { "foo.H", "c++-header" },
	{ "foo.hp", "c++-header" }, { "foo.hxx", "c++-header" },
	{ "foo.hpp", "c++-header" }, { "foo.HPP", "c++-header" },
	{ "foo.h++", "c++-header" }, { "foo.tcc", "c++-header" },
	{ "/abs/dir.d/x.cpp", "c++" },
	{ "a.b.c", "c" },
	{ "../src/x.S", "assembler-with-cpp" },
	/* no source language */
	{ "foo.o", NULL }, { "libfoo.a", NULL }, { "libfoo.so", NULL },
	{ "libfoo.so.1", NULL }, { "foo", NULL }, { "Makefile", NULL },
	{ "dir.c/foo", NULL }, { "CMakeFiles/t.dir/a.c.o", NULL },
	{ "foo.CC", NULL }, { "foo.f90", NULL }, { "link.ld", NULL },
	{ "foo.c.orig", NULL }, { ".hidden", NULL }, { "foo.", NULL },
	{ "foo.Tpo", NULL }, { "-", NULL },
};

struct object_case {
	const char *source, *object;
};

static const struct object_case objects[] = {
	{ "foo.c", "foo.o" },
	{ "src/foo.c", "foo.o" },
	{ "/abs/src/a.c", "a.o" },
	{ "/abs/dir.d/x.cpp", "x.o" },
	{ "a.b.c", "a.b.o" },
	{ "../x.S", "x.o" },
	{ "foo.tar.gz.c", "foo.tar.gz.o" },
	{ "Foo.C", "Foo.o" },
	{ "noext", "noext.o" },
	{ "dir.d/noext", "noext.o" },
	{ "/dev/null", "null.o" },
};

int main(void)
{
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		run_row(&rows[i]);
	for (i = 0; i < sizeof(bug_rows) / sizeof(bug_rows[0]); i++)
		run_row(&bug_rows[i]);

	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++)
		check_str_at(__FILE__, __LINE__,
		    pv_lang_from_suffix(suffixes[i].path), suffixes[i].lang,
		    suffixes[i].path);
	/* Regression: gcc treats .mii as objective-c++-cpp-output. */
	CHECK_STR(pv_lang_from_suffix("foo.mii"), "objective-c++-cpp-output");

	for (i = 0; i < sizeof(objects) / sizeof(objects[0]); i++) {
		char *o = pv_default_object(objects[i].source);

		check_str_at(__FILE__, __LINE__, o, objects[i].object,
		    objects[i].source);
		free(o);
	}

	printf("%zu command lines, %zu suffixes, %zu object names\n",
	    sizeof(rows) / sizeof(rows[0]) + sizeof(bug_rows) / sizeof(bug_rows[0]),
	    sizeof(suffixes) / sizeof(suffixes[0]),
	    sizeof(objects) / sizeof(objects[0]));
	return check_finish();
}
