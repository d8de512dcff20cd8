/* pkgdb.h - which Debian package a file came from, read straight from
 * the dpkg database (status, info/NAME.list, diversions), never by running
 * dpkg-query.  docs/soup.md describes the rules.
 *
 * Open the database once; each lookup is then a hash-table probe or
 * two, plus a few lstat calls only for paths not recorded literally.
 * Nothing here is thread-safe; the reason strings given through `why`
 * stay valid until the next call into this module.
 */
#ifndef PROVCC_PKGDB_H
#define PROVCC_PKGDB_H

#include <stddef.h>

#define PV_PKGDB_DEFAULT_ADMINDIR "/var/lib/dpkg"

/* What pv_pkgdb_open returns. */
enum {
	PV_PKGDB_OK = 0,
	PV_PKGDB_ABSENT = 1,	/* no dpkg database there: not a dpkg system */
	PV_PKGDB_BROKEN = 2,	/* a database, but unreadable or malformed */
};

/* An installed binary package.  Every string lives as long as the
 * database; NULL means the database does not say. */
struct pv_pkg {
	const char *name;
	const char *arch;		/* "amd64", "all", ... */
	const char *version;		/* "1:1.2.13.dfsg-1" */
	const char *upstream_version;	/* "1.2.13.dfsg" */
	const char *source;		/* source package, default: name */
	const char *source_version;	/* default: version */
	const char *maintainer;		/* the whole Maintainer field */
	const char *supplier_name;	/* "Mark Brown" */
	const char *supplier_email;	/* "broonie@debian.org" */
	const char *multi_arch;		/* "same", "foreign", "allowed" */
	const char *state;		/* dpkg's state: "installed", ... */
	const char *purl;		/* pkg:deb/debian/zlib1g@1:1.2.13... */
	const char *cpe;		/* only for well-known sources */
};

/* How a lookup reached its package (bits of pv_pkgdb_hit.how). */
enum {
	PV_PKGDB_USRMERGE = 1,	/* recorded under the /usr alias of the path */
	PV_PKGDB_SYMLINK = 2,	/* not recorded itself: reached through
				 * symbolic links (e.g. alternatives) */
	PV_PKGDB_DIVERTED = 4,	/* moved there by dpkg-divert */
	PV_PKGDB_IS_LINK = 8,	/* recorded, and itself a symbolic link:
				 * see target and target_path */
};

struct pv_pkgdb_hit {
	const struct pv_pkg *pkg;	/* NULL: no package owns the file */
	const char *path;		/* the path as the database records it */
	unsigned how;			/* PV_PKGDB_* bits */
	unsigned owners;		/* packages recording that path (> 1 for
					 * shared directories, M-A: same) */
	const struct pv_pkg *target;	/* IS_LINK: owner of the final target */
	const char *target_path;	/* ... and its recorded path */
};

struct pv_pkgdb_opts {
	const char *admindir;	/* NULL: $PROVCC_DPKG_ADMINDIR, else
				 * /var/lib/dpkg */
	const char *root;	/* the file system the database describes;
				 * NULL: D when admindir is D/var/lib/dpkg,
				 * else "/" */
	const char *distro;	/* purl distro qualifier; NULL: ID-VERSION_ID
				 * of ROOT/etc/os-release; "": none */
};

struct pv_pkgdb;

/* Load the database.  Returns PV_PKGDB_OK with *DB set, or ABSENT or
 * BROKEN with *WHY saying why ("no dpkg database at /x: ..."). */
int pv_pkgdb_open(const char *admindir, struct pv_pkgdb **db,
    const char **why);
int pv_pkgdb_open_opts(const struct pv_pkgdb_opts *opts,
    struct pv_pkgdb **db, const char **why);
void pv_pkgdb_close(struct pv_pkgdb *db);

/* The admindir that a NULL argument stands for. */
const char *pv_pkgdb_default_admindir(void);

/* The package that installed PATH (absolute, or relative to the
 * current directory; "." and ".." are taken lexically first), or NULL
 * when no installed package records it.  pv_pkgdb_find also says how
 * (HIT may not be NULL); only it checks whether a recorded path is
 * itself a link (PV_PKGDB_IS_LINK), which costs an lstat per lookup and
 * never changes the package returned. */
const struct pv_pkg *pv_pkgdb_lookup(struct pv_pkgdb *db, const char *path);
const struct pv_pkg *pv_pkgdb_find(struct pv_pkgdb *db, const char *path,
    struct pv_pkgdb_hit *hit);

/* Counts, for diagnostics and bench/pkgdb.sh. */
size_t pv_pkgdb_packages(const struct pv_pkgdb *db);
size_t pv_pkgdb_paths(const struct pv_pkgdb *db);
const struct pv_pkg *pv_pkgdb_package(const struct pv_pkgdb *db, size_t i);

/* The pieces, exposed for their tests.  Each returns a new string. */
char *pv_deb_upstream_version(const char *version);
char *pv_purl_encode(const char *s, int lower);
char *pv_deb_purl(const char *vendor, const char *name,
    const char *version, const char *arch, const char *distro);
char *pv_cpe_escape(const char *s);
/* NULL when SOURCE is not in the table of docs/soup.md. */
char *pv_deb_cpe(const char *source, const char *source_version);

#endif
