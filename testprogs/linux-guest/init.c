/*
 * /init of the Linux guest that tools/linux-guest builds (static glibc, big-endian ppc64).
 *
 * It exercises the pseries persistent-memory stack end to end: papr_scm (the SCM hcalls'
 * client) registers an NVDIMM with libnvdimm, this program makes sure a namespace exists (creating
 * one through sysfs on a fresh image, as ndctl does), then writes, flushes and reads back one 4 KiB
 * block on /dev/pmem0 that carries a run counter, so a second boot on the same image proves the
 * labels and the data persisted.
 *
 * Output: one line per step, all starting "init: "; the last one is "init: OK" or
 * "init: FAIL: <why>". Success powers off (RTAS power-off); failure restarts the machine
 * (reboot(RB_AUTOBOOT)) so a harness can tell the two apart (QEMU: -no-reboot makes both exit;
 * the console line is the verdict).
 *
 * Block 0 of pmem0 (the counter):  bytes 0..7 "LPARCNT1", 8..15 the counter (big-endian u64),
 * rest zero. At pmem0 offset 1 MiB init saves /sys/firmware/fdt (the device tree the kernel was
 * booted with): bytes 0..7 "LPARFDT1", 8..15 its length, the blob from byte 16. A raw namespace
 * starts at the image's byte 0, so the host can pull the tree out of the image file with dd.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/random.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BLOCK 4096
#define FDT_OFFSET (1 << 20)
#define FDT_MAX (256 << 10)
#define PMEM "/dev/pmem0"
#define ND "/sys/bus/nd/devices"

static const char counter_magic[8] = "LPARCNT1";
static const char fdt_magic[8] = "LPARFDT1";

static void say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("init: ", stdout);
	vprintf(fmt, ap);
	fputc('\n', stdout);
	fflush(stdout);
	va_end(ap);
}

static void finish(int ok, const char *why)
{
	if (ok)
		say("OK");
	else
		say("FAIL: %s", why);
	sync();
	reboot(ok ? RB_POWER_OFF : RB_AUTOBOOT);
	say("FAIL: reboot returned: %s", strerror(errno));
	for (;;)
		pause();
}

static void fail(const char *fmt, ...)
{
	char why[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	finish(0, why);
}

/* Reads a sysfs attribute into buf without its trailing newline; returns 0 or -errno. */
static int read_attr(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	ssize_t n = read(fd, buf, size - 1);
	int err = n < 0 ? -errno : 0;
	close(fd);
	if (err)
		return err;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	buf[n] = 0;
	return 0;
}

/* Writes one sysfs attribute the way `echo value > attr` does; dies with a clear line on error. */
static void write_attr(const char *dir, const char *attr, const char *value)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, attr);
	int fd = open(path, O_WRONLY);
	if (fd < 0)
		fail("open %s: %s", path, strerror(errno));
	ssize_t n = write(fd, value, strlen(value));
	if (n != (ssize_t)strlen(value))
		fail("write '%s' to %s: %s", value, path, n < 0 ? strerror(errno) : "short write");
	close(fd);
	say("  %s <- %s", path, value);
}

static void mount_or_die(const char *source, const char *target, const char *type)
{
	mkdir(target, 0755);
	if (mount(source, target, type, 0, NULL) != 0 && errno != EBUSY)
		fail("mount %s on %s: %s", type, target, strerror(errno));
	say("mounted %s on %s", type, target);
}

/* Prints every device libnvdimm registered with the attributes that say what it is. */
static void list_nd_devices(void)
{
	static const char *const attrs[] = {"devtype", "size", "available_size", "align",
		"namespace_seed", "mode", "uuid", "sector_size", "papr/flags", "provider"};
	DIR *d = opendir(ND);
	if (!d)
		fail("opendir %s: %s (papr_scm/libnvdimm did not register a bus)", ND, strerror(errno));
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char line[1024];
		int len = snprintf(line, sizeof line, "nd device %s:", e->d_name);
		for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; i++) {
			char path[512], value[128];
			snprintf(path, sizeof path, ND "/%s/%s", e->d_name, attrs[i]);
			if (read_attr(path, value, sizeof value) == 0 && len < (int)sizeof line)
				len += snprintf(line + len, sizeof line - len, " %s=%s", attrs[i], value);
		}
		say("%s", line);
	}
	closedir(d);
}

static int first_region(char *name, size_t size)
{
	DIR *d = opendir(ND);
	if (!d)
		return 0;
	struct dirent *e;
	int found = 0;
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, "region", 6)) {
			snprintf(name, size, "%s", e->d_name);
			found = 1;
			break;
		}
	closedir(d);
	return found;
}

static unsigned long long attr_u64(const char *dir, const char *attr)
{
	char path[512], value[64];
	snprintf(path, sizeof path, "%s/%s", dir, attr);
	if (read_attr(path, value, sizeof value) != 0)
		fail("read %s: %s", path, strerror(errno));
	return strtoull(value, NULL, 0);
}

/*
 * A random RFC 4122 version-4 UUID, as the text libnvdimm's uuid attribute parses.
 * getrandom(GRND_INSECURE): early in boot the crng is not ready, and /dev/urandom would then run
 * the kernel's jitter-entropy loop first (about 3 s under QEMU TCG); a label uuid need not be secret.
 */
static void make_uuid(char *out, size_t size)
{
	unsigned char b[16] = {0};
	if (getrandom(b, sizeof b, GRND_INSECURE) != (ssize_t)sizeof b) {
		/* Older kernel: derive one from the time; uniqueness only matters per image. */
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		memcpy(b, &ts, sizeof ts < sizeof b ? sizeof ts : sizeof b);
	}
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	snprintf(out, size,
		"%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
		b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

/*
 * Creates a raw pmem namespace over the whole region, the sysfs steps `ndctl create-namespace
 * --mode=raw` takes (ndctl/namespace.c setup_namespace + libndctl ndctl_namespace_enable):
 *  1. the region's `namespace_seed` names its idle namespace device (size 0), e.g. namespace0.0;
 *  2. write that namespace's `uuid` — the kernel refuses a size before a uuid (-ENXIO);
 *  3. write `sector_size` (the logical block size the label records: 512 or 4096);
 *  4. write `size` (region's available_size rounded down to the region's `align`): this is when
 *     libnvdimm writes the namespace label to the DIMM's label area (H_SCM_WRITE_METADATA);
 *  5. bind it to the pmem driver: write the namespace's name to
 *     /sys/bus/nd/drivers/nd_pmem/bind; the probe registers the gendisk, devtmpfs makes /dev/pmem0.
 * The kernel then publishes a new empty seed (namespace0.1) for the next namespace.
 */
static void create_namespace(void)
{
	char region_name[256], region[320], seed[64], ns[128], uuid[40], value[32];
	if (!first_region(region_name, sizeof region_name))
		fail("no region in %s: papr_scm registered no NVDIMM", ND);
	snprintf(region, sizeof region, ND "/%s", region_name);

	char path[400];
	snprintf(path, sizeof path, "%s/namespace_seed", region);
	if (read_attr(path, seed, sizeof seed) != 0 || !seed[0])
		fail("%s has no namespace_seed (a label-less region cannot take new namespaces)", region);
	snprintf(ns, sizeof ns, ND "/%s", seed);

	unsigned long long available = attr_u64(region, "available_size");
	unsigned long long align = attr_u64(region, "align");
	if (align == 0)
		align = BLOCK;
	unsigned long long size = available / align * align;
	if (size < 2 * FDT_OFFSET)
		fail("%s has only %llu bytes available (align %llu)", region, available, align);
	say("creating a raw namespace on %s: seed %s, %llu bytes (available %llu, align %llu)",
	    region_name, seed, size, available, align);

	make_uuid(uuid, sizeof uuid);
	write_attr(ns, "uuid", uuid);
	write_attr(ns, "sector_size", "4096");
	snprintf(value, sizeof value, "%llu", size);
	write_attr(ns, "size", value);
	write_attr("/sys/bus/nd/drivers/nd_pmem", "bind", seed);
	say("created namespace %s (uuid %s)", seed, uuid);
}

static int wait_for(const char *path, int tenths)
{
	struct stat st;
	for (int i = 0; i < tenths; i++) {
		if (stat(path, &st) == 0)
			return 1;
		usleep(100000);
	}
	return stat(path, &st) == 0;
}

static void put_be64(unsigned char *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (unsigned char)v;
}

static uint64_t get_be64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

static void pread_full(int fd, void *buf, size_t len, off_t off)
{
	ssize_t n = pread(fd, buf, len, off);
	if (n != (ssize_t)len)
		fail("read %s at %lld: %s", PMEM, (long long)off, n < 0 ? strerror(errno) : "short read");
}

static void pwrite_full(int fd, const void *buf, size_t len, off_t off)
{
	ssize_t n = pwrite(fd, buf, len, off);
	if (n != (ssize_t)len)
		fail("write %s at %lld: %s", PMEM, (long long)off, n < 0 ? strerror(errno) : "short write");
}

/* Saves /sys/firmware/fdt at pmem0 offset 1 MiB (see the top comment), if the kernel offers it. */
static void save_fdt(int fd)
{
	int in = open("/sys/firmware/fdt", O_RDONLY);
	if (in < 0) {
		say("no /sys/firmware/fdt (%s)", strerror(errno));
		return;
	}
	unsigned char *buf;
	if (posix_memalign((void **)&buf, BLOCK, FDT_MAX) != 0)
		fail("out of memory");
	memset(buf, 0, FDT_MAX);
	size_t len = 0;
	ssize_t n;
	while (len < FDT_MAX - 16 && (n = read(in, buf + 16 + len, FDT_MAX - 16 - len)) > 0)
		len += (size_t)n;
	close(in);
	memcpy(buf, fdt_magic, 8);
	put_be64(buf + 8, len);
	size_t padded = (16 + len + BLOCK - 1) / BLOCK * BLOCK;
	pwrite_full(fd, buf, padded, FDT_OFFSET);
	say("saved /sys/firmware/fdt (%zu bytes) at %s offset %d", len, PMEM, FDT_OFFSET);
	free(buf);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* This program mounts, writes sysfs and powers the machine off: only ever as a guest's init. */
	if (getpid() != 1) {
		fprintf(stderr, "init: refusing to run as pid %d; this is the Linux guest's /init\n", (int)getpid());
		return 1;
	}
	say("started");
	mount_or_die("devtmpfs", "/dev", "devtmpfs");
	mount_or_die("sysfs", "/sys", "sysfs");
	mount_or_die("proc", "/proc", "proc");

	list_nd_devices();
	if (!wait_for(PMEM, 5)) {
		say("no %s: the region has no namespace yet", PMEM);
		create_namespace();
		if (!wait_for(PMEM, 50))
			fail("%s did not appear after creating the namespace", PMEM);
		list_nd_devices();
	} else {
		say("found %s (namespace from the labels of an earlier boot)", PMEM);
	}

	int fd = open(PMEM, O_RDWR | O_DIRECT);
	if (fd < 0)
		fail("open %s O_DIRECT: %s", PMEM, strerror(errno));
	unsigned char *block, *check;
	if (posix_memalign((void **)&block, BLOCK, BLOCK) || posix_memalign((void **)&check, BLOCK, BLOCK))
		fail("out of memory");

	pread_full(fd, block, BLOCK, 0);
	uint64_t previous = 0;
	if (!memcmp(block, counter_magic, 8)) {
		previous = get_be64(block + 8);
		say("pmem0 block 0 holds counter %llu from the previous boot", (unsigned long long)previous);
	} else {
		say("pmem0 block 0 holds no counter (first boot on this image)");
	}

	memset(block, 0, BLOCK);
	memcpy(block, counter_magic, 8);
	put_be64(block + 8, previous + 1);
	pwrite_full(fd, block, BLOCK, 0);
	say("wrote counter %llu to pmem0 block 0 (O_DIRECT)", (unsigned long long)(previous + 1));
	if (fsync(fd) != 0)
		fail("fsync %s: %s", PMEM, strerror(errno));
	say("fsync %s done", PMEM);
	memset(check, 0xa5, BLOCK);
	pread_full(fd, check, BLOCK, 0);
	if (memcmp(block, check, BLOCK))
		fail("read-back of pmem0 block 0 differs from what was written");
	say("read back pmem0 block 0: matches");
	say("pmem0 counter was %llu, now %llu", (unsigned long long)previous,
	    (unsigned long long)(previous + 1));

	save_fdt(fd);
	if (fsync(fd) != 0)
		fail("fsync %s: %s", PMEM, strerror(errno));
	close(fd);
	finish(1, NULL);
	return 0;
}
