/* test_pkgdb.c - collector/pkgdb.c: version, purl and CPE strings; a fake
 * dpkg database and root built in a temporary directory (parsing,
 * Multi-Arch, usrmerge, "..", alternatives, diversions, errors); and,
 * when this machine has one, the real database (usrmerge both ways,
 * /usr/bin/cc through alternatives). */
#define _GNU_SOURCE
#include "check.h"
#include "pkgdb.h"
#include "util.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[256];

/* ---- strings ---- */

static void test_upstream(void)
{
	static const struct {
		const char *in, *want;
	} t[] = {
		{ "1:1.2.13.dfsg-1", "1.2.13.dfsg" },
		{ "12.2.0-14+deb12u1", "12.2.0" },
		{ "2.36-9+deb12u4", "2.36" },
		{ "1.0", "1.0" },			/* native */
		{ "2:1.0-rc1-3", "1.0-rc1" },		/* last '-' only */
		{ "4:12.2.0-3", "12.2.0" },
		{ "1.0~rc1+dfsg-1+b2", "1.0~rc1+dfsg" },
		{ "0.5.11+git20210903+057cd650a4ed-9",
		    "0.5.11+git20210903+057cd650a4ed" },
	};
	size_t i;
	char *s;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		s = pv_deb_upstream_version(t[i].in);
		CHECK_STR(s, t[i].want);
		free(s);
	}
}

/* Vectors of the purl specification's tests/types/deb-test.json, and
 * the escaping cases: the colon is never encoded, '+' is, '~' is not. */
static void test_purl(void)
{
	static const struct {
		const char *vendor, *name, *version, *arch, *distro, *want;
	} t[] = {
		{ "debian", "curl", "7.50.3-1", "i386", "jessie",
		    "pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie" },
		{ "debian", "attr", "1:2.4.47-2+b1", "amd64", NULL,
		    "pkg:deb/debian/attr@1:2.4.47-2%2Bb1?arch=amd64" },
		{ "debian", "attr", "1:2.4.47-2", "source", "",
		    "pkg:deb/debian/attr@1:2.4.47-2?arch=source" },
		{ "ubuntu", "dpkg", "1.19.0.4", "amd64", NULL,
		    "pkg:deb/ubuntu/dpkg@1.19.0.4?arch=amd64" },
		{ "debian", "zlib1g", "1:1.2.13.dfsg-1", "amd64", "debian-12",
		    "pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1"
		    "?arch=amd64&distro=debian-12" },
		{ "Debian", "libstdc++6", "12.2.0-14+deb12u1", "amd64",
		    "debian-12", "pkg:deb/debian/libstdc%2B%2B6@"
		    "12.2.0-14%2Bdeb12u1?arch=amd64&distro=debian-12" },
		{ "debian", "Foo", "1.0~rc1-1", "all", "debian-12",
		    "pkg:deb/debian/foo@1.0~rc1-1?arch=all&distro=debian-12" },
	};
	size_t i;
	char *s;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		s = pv_deb_purl(t[i].vendor, t[i].name, t[i].version,
		    t[i].arch, t[i].distro);
		CHECK_STR(s, t[i].want);
		free(s);
	}
	s = pv_purl_encode("a b/c?d#e@f%g&h=i", 0);
	CHECK_STR(s, "a%20b%2Fc%3Fd%23e%40f%25g%26h%3Di");
	free(s);
}

static void test_cpe(void)
{
	static const struct {
		const char *in, *want;
	} esc[] = {
		{ "2.4+b1", "2.4\\+b1" },
		{ "1:2", "1\\:2" },
		{ "7.88.1~rc1", "7.88.1\\~rc1" },
		{ "A_b-c.d", "a_b-c.d" },
		{ "x*y?z", "x\\*y\\?z" },
		{ "a\\b", "a\\\\b" },
	};
	static const struct {
		const char *source, *version, *want;
	} t[] = {
		{ "zlib", "1:1.2.13.dfsg-1",
		    "cpe:2.3:a:zlib:zlib:1.2.13:*:*:*:*:*:*:*" },
		{ "gcc-12", "12.2.0-14+deb12u1",
		    "cpe:2.3:a:gnu:gcc:12.2.0:*:*:*:*:*:*:*" },
		{ "glibc", "2.36-9+deb12u4",
		    "cpe:2.3:a:gnu:glibc:2.36:*:*:*:*:*:*:*" },
		{ "openssl", "3.0.11-1~deb12u2",
		    "cpe:2.3:a:openssl:openssl:3.0.11:*:*:*:*:*:*:*" },
		{ "curl", "7.88.1~rc1-1",
		    "cpe:2.3:a:haxx:curl:7.88.1\\~rc1:*:*:*:*:*:*:*" },
		{ "sqlite3", "3.40.1-2+deb12u1",
		    "cpe:2.3:a:sqlite:sqlite:3.40.1:*:*:*:*:*:*:*" },
		{ "libpng1.6", "1.6.39-2",
		    "cpe:2.3:a:libpng:libpng:1.6.39:*:*:*:*:*:*:*" },
		{ "xz-utils", "5.4.1-0.2",
		    "cpe:2.3:a:tukaani:xz:5.4.1:*:*:*:*:*:*:*" },
		{ "gcc-defaults", "1.203", NULL },
		{ "foo-src", "2:1.0~rc1+dfsg-1", NULL },
	};
	size_t i;
	char *s;

	for (i = 0; i < sizeof esc / sizeof esc[0]; i++) {
		s = pv_cpe_escape(esc[i].in);
		CHECK_STR(s, esc[i].want);
		free(s);
	}
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		s = pv_deb_cpe(t[i].source, t[i].version);
		CHECK_STR(s, t[i].want);
		free(s);
	}
}

/* ---- the fake root ---- */

static void put(const char *rel, const char *text)
{
	char *path = pv_xasprintf("%s/%s", root, rel);
	FILE *f = fopen(path, "w");

	if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
	free(path);
}

static void dir(const char *rel)
{
	char *path = pv_xasprintf("%s/%s", root, rel);

	if (mkdir(path, 0755) != 0 && errno != EEXIST) {
		perror(path);
		exit(1);
	}
	free(path);
}

static void link_at(const char *target, const char *rel)
{
	char *path = pv_xasprintf("%s/%s", root, rel);

	if (symlink(target, path) != 0) {
		perror(path);
		exit(1);
	}
	free(path);
}

static const char status_text[] =
    "Package: zlib1g\n"
    "Status: install ok installed\n"
    "Priority: optional\n"
    "Architecture: amd64\n"
    "Multi-Arch: same\n"
    "Source: zlib\n"
    "Version: 1:1.2.13.dfsg-1\n"
    "Maintainer: Mark Brown <broonie@debian.org>\n"
    "Description: compression library - runtime\n"
    " zlib is a library implementing the deflate compression method\n"
    " Version: 9.9 (a continuation line, not a field)\n"
    "\n"
    "Package: zlib1g\n"
    "Status: install ok installed\n"
    "Architecture: i386\n"
    "multi-arch: same\n"			/* names are case-blind */
    "Source: zlib\n"
    "Version: 1:1.2.13.dfsg-1\n"
    "Maintainer: Mark Brown <broonie@debian.org>\n"
    "\n"
    "Package: libc6-dev\n"
    "Status: install ok installed\n"
    "Architecture: amd64\n"
    "Multi-Arch: same\n"
    "Source: glibc\n"
    "Version: 2.36-9+deb12u4\n"
    "Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>\n"
    "\n"
    "Package: gcc-12\n"
    "Status: install ok installed\n"
    "Architecture: amd64\n"
    "Version: 12.2.0-14+deb12u1\n"
    "Maintainer: Debian GCC Maintainers <debian-gcc@lists.debian.org>\n"
    "\n"
    "Package: gcc\n"
    "Status: install ok installed\n"
    "Architecture: amd64\n"
    "Source: gcc-defaults (1.203)\n"
    "Version: 4:12.2.0-3\n"
    "Maintainer: Debian GCC Maintainers <debian-gcc@lists.debian.org>\n"
    "\n"
    "Package: libstdc++6\n"
    "Status: install ok unpacked\n"
    "Architecture: amd64\n"
    "Multi-Arch: same\n"
    "Source: gcc-12 (12.2.0-14+deb12u1)\n"
    "Version: 12.2.0-14+deb12u1\n"
    "Maintainer: Debian GCC Maintainers <debian-gcc@lists.debian.org>\n"
    "\n"
    "Package: foo\n"
    "Status: install ok installed\n"
    "Architecture: all\n"
    "Source: foo-src (2:1.0~rc1+dfsg-1)\n"
    "Version: 2:1.0~rc1+dfsg-1+b2\n"
    "Maintainer: nobody-in-particular\n"
    "\n"
    "Package: dash\n"
    "Status: install ok installed\n"
    "Architecture: amd64\n"
    "Version: 0.5.12-2\n"
    "\n"
    "Package: bash\n"
    "Status: install ok installed\n"
    "Architecture: amd64\n"
    "Version: 5.2.15-2+b2\n"
    "\n"
    "Package: gone\n"
    "Status: deinstall ok config-files\n"
    "Architecture: amd64\n"
    "Version: 1.0-1\n"
    "\n"
    "Package: half\n"
    "Status: install reinstreq half-installed\n"
    "Architecture: amd64\n"
    "Version: 1.0-1\n";

static void make_fake_root(void)
{
	snprintf(root, sizeof root, "%s/pkgdb-test.XXXXXX",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(root)) {
		perror(root);
		exit(1);
	}
	dir("var"), dir("var/lib"), dir("var/lib/dpkg");
	dir("var/lib/dpkg/info"), dir("etc"), dir("etc/alternatives");
	dir("usr"), dir("usr/bin"), dir("usr/lib"), dir("usr/share");
	dir("usr/lib/x86_64-linux-gnu"), dir("usr/lib/gcc");
	dir("usr/lib/gcc/x86_64-linux-gnu");
	dir("usr/lib/gcc/x86_64-linux-gnu/12");
	dir("usr/share/man"), dir("usr/share/man/man1");
	link_at("usr/lib", "lib");
	link_at("usr/bin", "bin");
	put("etc/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12\"\n"
	    "ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n");
	put("var/lib/dpkg/status", status_text);
	put("var/lib/dpkg/info/zlib1g:amd64.list", "/.\n/lib\n"
	    "/lib/x86_64-linux-gnu\n"
	    "/lib/x86_64-linux-gnu/libz.so.1.2.13\n"
	    "/lib/x86_64-linux-gnu/libz.so.1\n"
	    "/usr/share/doc/zlib1g/copyright\n");
	put("var/lib/dpkg/info/zlib1g:i386.list", "/.\n"
	    "/lib/i386-linux-gnu/libz.so.1\n"
	    "/usr/share/doc/zlib1g/copyright\n");
	put("var/lib/dpkg/info/libc6-dev:amd64.list", "/.\n/usr\n"
	    "/usr/lib/x86_64-linux-gnu/crt1.o\n");
	put("var/lib/dpkg/info/gcc-12.list", "/usr/bin/gcc-12\n");
	put("var/lib/dpkg/info/gcc.list", "/usr/bin/gcc\n");
	put("var/lib/dpkg/info/libstdc++6:amd64.list",
	    "/usr/lib/x86_64-linux-gnu/libstdc++.so.6\n");
	put("var/lib/dpkg/info/foo.list", "/usr/share/foo/data");
	put("var/lib/dpkg/info/dash.list", "/bin/dash\n"
	    "/usr/share/man/man1/sh.1.gz\n");
	put("var/lib/dpkg/info/bash.list", "/usr/bin/bash\n"
	    "/usr/share/man/man1/sh.1.gz\n/usr/share/local-thing\n");
	put("var/lib/dpkg/info/gone.list", "/usr/share/gone/file\n");
	put("var/lib/dpkg/info/half.list", "/usr/share/half/file\n");
	put("var/lib/dpkg/diversions", "/usr/share/man/man1/sh.1.gz\n"
	    "/usr/share/man/man1/sh.distrib.1.gz\ndash\n"
	    "/usr/share/local-thing\n/usr/share/local-thing.orig\n:\n");
	/* The files themselves, for what lookups resolve. */
	put("usr/lib/x86_64-linux-gnu/libz.so.1.2.13", "");
	link_at("libz.so.1.2.13", "usr/lib/x86_64-linux-gnu/libz.so.1");
	put("usr/lib/x86_64-linux-gnu/crt1.o", "");
	put("usr/bin/gcc-12", "");
	link_at("gcc-12", "usr/bin/gcc");
	link_at("/usr/bin/gcc", "etc/alternatives/cc");
	link_at("/etc/alternatives/cc", "usr/bin/cc");
	link_at("/nowhere", "usr/bin/dangling");
	put("usr/bin/unowned", "");
}

static int rm_one(const char *path, const struct stat *st, int flag,
    struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static void remove_fake_root(void)
{
	nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static struct pv_pkgdb *open_fake(void)
{
	char *admindir = pv_xasprintf("%s/var/lib/dpkg", root);
	struct pv_pkgdb *db = NULL;
	const char *why = NULL;

	if (!CHECK_INT(pv_pkgdb_open(admindir, &db, &why), PV_PKGDB_OK))
		printf("  why: %s\n", check_q(why));
	free(admindir);
	return db;
}

/* A path of the fake root, as the fake root sees it. */
static const struct pv_pkg *find(struct pv_pkgdb *db, const char *path,
    struct pv_pkgdb_hit *hit)
{
	return pv_pkgdb_find(db, path, hit);
}

static void test_fake_packages(struct pv_pkgdb *db)
{
	struct pv_pkgdb_hit h;
	const struct pv_pkg *p;
	size_t i;

	/* gone (config-files) and half (half-installed) are not loaded. */
	CHECK_INT(pv_pkgdb_packages(db), 9);
	for (i = 0; i < pv_pkgdb_packages(db); i++) {
		CHECK(strcmp(pv_pkgdb_package(db, i)->name, "gone") != 0);
		CHECK(strcmp(pv_pkgdb_package(db, i)->name, "half") != 0);
	}
	CHECK(find(db, "/usr/share/gone/file", &h) == NULL);

	p = find(db, "/lib/x86_64-linux-gnu/libz.so.1.2.13", &h);
	if (CHECK(p)) {
		CHECK_STR(p->name, "zlib1g");
		CHECK_STR(p->arch, "amd64");
		CHECK_STR(p->version, "1:1.2.13.dfsg-1");
		CHECK_STR(p->upstream_version, "1.2.13.dfsg");
		CHECK_STR(p->source, "zlib");
		CHECK_STR(p->source_version, "1:1.2.13.dfsg-1");
		CHECK_STR(p->supplier_name, "Mark Brown");
		CHECK_STR(p->supplier_email, "broonie@debian.org");
		CHECK_STR(p->multi_arch, "same");
		CHECK_STR(p->state, "installed");
		CHECK_STR(p->purl, "pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1"
		    "?arch=amd64&distro=debian-12");
		CHECK_STR(p->cpe, "cpe:2.3:a:zlib:zlib:1.2.13:*:*:*:*:*:*:*");
		CHECK_INT(h.how, 0);
	}
	/* Multi-Arch: same lists are info/NAME:ARCH.list. */
	p = find(db, "/lib/i386-linux-gnu/libz.so.1", &h);
	CHECK(p && strcmp(p->arch, "i386") == 0 &&
	    strcmp(p->multi_arch, "same") == 0);
	p = find(db, "/usr/share/doc/zlib1g/copyright", &h);
	CHECK(p && strcmp(p->name, "zlib1g") == 0);
	CHECK_INT(h.owners, 2);

	p = find(db, "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", &h);
	if (CHECK(p)) {
		CHECK_STR(p->source, "gcc-12");
		CHECK_STR(p->source_version, "12.2.0-14+deb12u1");
		CHECK_STR(p->state, "unpacked");
		CHECK_STR(p->purl, "pkg:deb/debian/libstdc%2B%2B6@"
		    "12.2.0-14%2Bdeb12u1?arch=amd64&distro=debian-12");
		CHECK_STR(p->cpe, "cpe:2.3:a:gnu:gcc:12.2.0:*:*:*:*:*:*:*");
	}
	p = find(db, "/usr/share/foo/data", &h);	/* no final newline */
	if (CHECK(p)) {
		CHECK_STR(p->version, "2:1.0~rc1+dfsg-1+b2");
		CHECK_STR(p->upstream_version, "1.0~rc1+dfsg");
		CHECK_STR(p->source, "foo-src");
		CHECK_STR(p->source_version, "2:1.0~rc1+dfsg-1");
		CHECK_STR(p->supplier_name, "nobody-in-particular");
		CHECK(p->supplier_email == NULL);
		CHECK(p->multi_arch == NULL);
		CHECK(p->cpe == NULL);
		CHECK_STR(p->purl, "pkg:deb/debian/foo@2:1.0~rc1%2Bdfsg-1"
		    "%2Bb2?arch=all&distro=debian-12");
	}
	p = find(db, "/bin/dash", &h);
	CHECK(p && p->supplier_name == NULL && p->maintainer == NULL);
}

static void test_fake_paths(struct pv_pkgdb *db)
{
	struct pv_pkgdb_hit h;
	const struct pv_pkg *p;
	char *cwd;

	/* usrmerge both ways: recorded /lib, asked /usr/lib ... */
	p = find(db, "/usr/lib/x86_64-linux-gnu/libz.so.1.2.13", &h);
	CHECK(p && strcmp(p->name, "zlib1g") == 0);
	CHECK_INT(h.how, PV_PKGDB_USRMERGE);
	CHECK_STR(h.path, "/lib/x86_64-linux-gnu/libz.so.1.2.13");
	/* ... and recorded /usr/lib, asked /lib. */
	p = find(db, "/lib/x86_64-linux-gnu/crt1.o", &h);
	CHECK(p && strcmp(p->name, "libc6-dev") == 0);
	CHECK_INT(h.how, PV_PKGDB_USRMERGE);
	/* gcc's own way of naming crt1.o. */
	p = find(db, "/usr/lib/gcc/x86_64-linux-gnu/12/../../../"
	    "x86_64-linux-gnu/./crt1.o", &h);
	CHECK(p && strcmp(p->name, "libc6-dev") == 0);
	CHECK_INT(h.how, 0);
	p = find(db, "//usr/bin//../bin/gcc-12", &h);
	CHECK(p && strcmp(p->name, "gcc-12") == 0);
	/* A relative path is taken from the current directory. */
	cwd = getcwd(NULL, 0);
	if (cwd && chdir("/usr") == 0) {
		p = find(db, "bin/../bin/gcc-12", &h);
		CHECK(p && strcmp(p->name, "gcc-12") == 0);
		CHECK(chdir(cwd) == 0);
	}
	free(cwd);

	/* Alternatives: cc -> /etc/alternatives/cc -> /usr/bin/gcc ->
	 * gcc-12; nobody records cc, gcc-12 owns the code. */
	p = find(db, "/usr/bin/cc", &h);
	CHECK(p && strcmp(p->name, "gcc-12") == 0);
	CHECK_INT(h.how, PV_PKGDB_SYMLINK);
	CHECK_STR(h.path, "/usr/bin/gcc-12");
	p = find(db, "/bin/cc", &h);	/* through the /bin link as well */
	CHECK(p && strcmp(p->name, "gcc-12") == 0);
	/* The reverse: gcc records its link; its target's owner told. */
	p = find(db, "/usr/bin/gcc", &h);
	CHECK(p && strcmp(p->name, "gcc") == 0);
	CHECK_INT(h.how, PV_PKGDB_IS_LINK);
	CHECK(h.target && strcmp(h.target->name, "gcc-12") == 0);
	CHECK_STR(h.target_path, "/usr/bin/gcc-12");
	CHECK_STR(p->purl, "pkg:deb/debian/gcc@4:12.2.0-3"
	    "?arch=amd64&distro=debian-12");
	CHECK(p->cpe == NULL);	/* gcc-defaults: not in the table */
	/* A recorded link whose target is recorded under /lib. */
	p = find(db, "/usr/lib/x86_64-linux-gnu/libz.so.1", &h);
	CHECK(p && strcmp(p->name, "zlib1g") == 0);
	CHECK_INT(h.how, PV_PKGDB_USRMERGE | PV_PKGDB_IS_LINK);
	CHECK(h.target && strcmp(h.target->name, "zlib1g") == 0);

	/* Diversions: dash keeps its sh.1.gz; bash's went aside. */
	p = find(db, "/usr/share/man/man1/sh.1.gz", &h);
	CHECK(p && strcmp(p->name, "dash") == 0);
	CHECK_INT(h.owners, 2);
	p = find(db, "/usr/share/man/man1/sh.distrib.1.gz", &h);
	CHECK(p && strcmp(p->name, "bash") == 0);
	CHECK_INT(h.how, PV_PKGDB_DIVERTED);

	/* Not owned. */
	CHECK(find(db, "/usr/bin/unowned", &h) == NULL);
	CHECK(h.pkg == NULL && h.path == NULL && h.how == 0);
	CHECK(find(db, "/usr/bin/dangling", &h) == NULL);
	CHECK(find(db, "/no/such/file", &h) == NULL);
	/* A local diversion: bash's file went aside, the admin's is here. */
	CHECK(find(db, "/usr/share/local-thing", &h) == NULL);
	p = find(db, "/usr/share/local-thing.orig", &h);
	CHECK(p && strcmp(p->name, "bash") == 0);
}

static void test_fake_options(void)
{
	struct pv_pkgdb_opts o = { NULL, NULL, "" };
	char *admindir = pv_xasprintf("%s/var/lib/dpkg", root);
	struct pv_pkgdb *db;
	const struct pv_pkg *p;
	const char *why;

	o.admindir = admindir;
	if (CHECK_INT(pv_pkgdb_open_opts(&o, &db, &why), PV_PKGDB_OK)) {
		p = pv_pkgdb_lookup(db, "/usr/share/foo/data");
		CHECK(p && strcmp(p->purl, "pkg:deb/debian/foo@"
		    "2:1.0~rc1%2Bdfsg-1%2Bb2?arch=all") == 0);
		pv_pkgdb_close(db);
	}
	/* PROVCC_DPKG_ADMINDIR stands in for a NULL admindir. */
	setenv("PROVCC_DPKG_ADMINDIR", admindir, 1);
	CHECK_STR(pv_pkgdb_default_admindir(), admindir);
	if (CHECK_INT(pv_pkgdb_open(NULL, &db, &why), PV_PKGDB_OK)) {
		CHECK(pv_pkgdb_lookup(db, "/usr/bin/gcc-12") != NULL);
		pv_pkgdb_close(db);
	}
	unsetenv("PROVCC_DPKG_ADMINDIR");
	free(admindir);
}

static void test_missing(void)
{
	struct pv_pkgdb *db = (struct pv_pkgdb *)1;
	const char *why = NULL;
	char *p;

	CHECK_INT(pv_pkgdb_open("/nonexistent/var/lib/dpkg", &db, &why),
	    PV_PKGDB_ABSENT);
	CHECK(db == NULL);
	CHECK(why && strcmp(why, "no dpkg database at "
	    "/nonexistent/var/lib/dpkg: No such file or directory") == 0);
	if (why)
		printf("  (missing: %s)\n", why);

	/* A directory without status, a file, a status that is a dir. */
	p = pv_xasprintf("%s/usr", root);
	CHECK_INT(pv_pkgdb_open(p, &db, &why), PV_PKGDB_ABSENT);
	CHECK(why && strstr(why, "/usr/status: No such file") != NULL);
	free(p);
	p = pv_xasprintf("%s/etc/os-release", root);
	CHECK_INT(pv_pkgdb_open(p, &db, &why), PV_PKGDB_ABSENT);
	CHECK(why && strstr(why, "Not a directory") != NULL);
	free(p);
	dir("broken"), dir("broken/status");
	p = pv_xasprintf("%s/broken", root);
	CHECK_INT(pv_pkgdb_open(p, &db, &why), PV_PKGDB_BROKEN);
	CHECK(why && strstr(why, "Is a directory") != NULL);
	free(p);
	/* An empty database is a database. */
	dir("empty"), put("empty/status", "");
	p = pv_xasprintf("%s/empty", root);
	if (CHECK_INT(pv_pkgdb_open(p, &db, &why), PV_PKGDB_OK)) {
		CHECK_INT(pv_pkgdb_packages(db), 0);
		CHECK(pv_pkgdb_lookup(db, "/usr/bin/gcc") == NULL);
		pv_pkgdb_close(db);
	}
	free(p);
}

/* ---- this machine's database ---- */

static void test_real_system(void)
{
	struct pv_pkgdb_hit h;
	struct pv_pkgdb *db;
	const struct pv_pkg *p;
	const char *why;
	struct stat st;

	if (pv_pkgdb_open(PV_PKGDB_DEFAULT_ADMINDIR, &db, &why) !=
	    PV_PKGDB_OK) {
		printf("  (real system skipped: %s)\n", why);
		return;
	}
	/* Debian 12 records libc.so.6 under /lib. */
	p = pv_pkgdb_find(db, "/usr/lib/x86_64-linux-gnu/libc.so.6", &h);
	if (access("/usr/lib/x86_64-linux-gnu/libc.so.6", F_OK) == 0 &&
	    CHECK(p)) {
		CHECK_STR(p->name, "libc6");
		CHECK_STR(p->source, "glibc");
		printf("  (libc.so.6: %s via %s, %s)\n", p->purl,
		    check_q(h.path), check_q(p->cpe));
		p = pv_pkgdb_lookup(db, "/lib/x86_64-linux-gnu/libc.so.6");
		CHECK(p && strcmp(p->name, "libc6") == 0);
	}
	/* ... and libacl.so.1 under /usr/lib. */
	p = pv_pkgdb_find(db, "/lib/x86_64-linux-gnu/libacl.so.1", &h);
	if (access("/usr/lib/x86_64-linux-gnu/libacl.so.1", F_OK) == 0) {
		CHECK(p && strcmp(p->name, "libacl1") == 0);
		CHECK(h.how & PV_PKGDB_USRMERGE);
	}
	p = pv_pkgdb_find(db, "/usr/lib/gcc/x86_64-linux-gnu/12/../../../"
	    "x86_64-linux-gnu/crt1.o", &h);
	if (access("/usr/lib/x86_64-linux-gnu/crt1.o", F_OK) == 0)
		CHECK(p && strcmp(p->name, "libc6-dev") == 0);
	/* cc through the alternatives to the real compiler. */
	if (lstat("/usr/bin/cc", &st) == 0 && S_ISLNK(st.st_mode)) {
		p = pv_pkgdb_find(db, "/usr/bin/cc", &h);
		if (CHECK(p)) {
			printf("  (/usr/bin/cc: %s, %s)\n", p->name, h.path);
			CHECK(strncmp(p->name, "gcc-", 4) == 0 ||
			    strncmp(p->name, "clang", 5) == 0);
			CHECK(h.how & PV_PKGDB_SYMLINK);
		}
	}
	CHECK(pv_pkgdb_lookup(db, "/usr/bin/no-such-program-here") == NULL);
	pv_pkgdb_close(db);
}

int main(void)
{
	struct pv_pkgdb *db;

	test_upstream();
	test_purl();
	test_cpe();
	make_fake_root();
	if ((db = open_fake()) != NULL) {
		test_fake_packages(db);
		test_fake_paths(db);
		pv_pkgdb_close(db);
	}
	test_fake_options();
	test_missing();
	remove_fake_root();
	test_real_system();
	return check_finish();
}
