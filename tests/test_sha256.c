/* Tests of sha256: the FIPS 180-4 example messages (NIST's published SHA-256 examples) as
 * known answers, streaming in chunks, and hashing a file or failing to. */
#include <criterion/criterion.h>

#include "helpers.h"
#include "sha256.h"

#define MILLION_A "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"

static const struct {
	const char *message;
	const char *digest;
} examples[] = {
	{"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
	{"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
	/* 448 bits: the padding no longer fits, a second block holds the length */
	{"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	 "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
	/* 896 bits: two blocks of message */
	{"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
	 "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
};

/* Lowercase hex of a raw digest. */
static const char *hex(const unsigned char digest[32], char out[65])
{
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", digest[i]);
	return out;
}

Test(sha256, the_fips_180_4_examples_hash_to_their_published_digests)
{
	char out[65];
	for (size_t i = 0; i < sizeof examples / sizeof examples[0]; i++) {
		sha256_hex(examples[i].message, strlen(examples[i].message), out);
		cr_assert_str_eq(out, examples[i].digest, "\"%s\"", examples[i].message);
	}
}

Test(sha256, a_message_fed_one_byte_at_a_time_hashes_the_same)
{
	char out[65];
	unsigned char digest[32];
	for (size_t i = 0; i < sizeof examples / sizeof examples[0]; i++) {
		struct sha256 h;
		sha256_init(&h);
		for (const char *c = examples[i].message; *c; c++)
			sha256_update(&h, c, 1);
		sha256_final(&h, digest);
		cr_assert_str_eq(hex(digest, out), examples[i].digest, "\"%s\"", examples[i].message);
	}
}

/* Chunk sizes that do and do not divide the 64-byte block, so buffered bytes cross blocks. */
Test(sha256, one_million_a_streamed_in_chunks_hashes_to_the_published_digest)
{
	static const size_t chunk_sizes[] = {1000, 997, 64};
	char chunk[1000], out[65];
	unsigned char digest[32];
	memset(chunk, 'a', sizeof chunk);
	for (size_t k = 0; k < sizeof chunk_sizes / sizeof chunk_sizes[0]; k++) {
		struct sha256 h;
		size_t left = 1000000;
		sha256_init(&h);
		while (left > 0) {
			size_t n = left < chunk_sizes[k] ? left : chunk_sizes[k];
			sha256_update(&h, chunk, n);
			left -= n;
		}
		sha256_final(&h, digest);
		cr_assert_str_eq(hex(digest, out), MILLION_A, "chunks of %zu", chunk_sizes[k]);
	}
}

/* A fresh directory for one test (mkdtemp, never a fixed name); its path in dir[size]. */
static void make_directory(char *dir, size_t size)
{
	snprintf(dir, size, "%s/trainsim-sha256-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	cr_assert_not_null(mkdtemp(dir), "%s", dir);
}

Test(sha256, a_file_hashes_to_the_digest_of_its_content)
{
	char dir[256], path[320], out[65];
	struct ts_error err = {0};
	make_directory(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/input-XXXXXX", dir);
	int fd = mkstemp(path);
	cr_assert_geq(fd, 0, "%s", path);
	const char *text = examples[3].message;
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	cr_assert_eq(close(fd), 0);
	bool ok = sha256_file_hex(path, out, &err);
	unlink(path);
	rmdir(dir);
	cr_assert(ok, "%s", err.message);
	cr_assert_str_eq(out, examples[3].digest);
}

Test(sha256, a_missing_file_or_a_directory_is_an_error_naming_it)
{
	char dir[256], path[320], expected[512], message[1600], out[65];
	struct ts_error err = {0};
	make_directory(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/missing.yaml", dir);
	bool missing_ok = sha256_file_hex(path, out, &err);
	error_format(&err, message, sizeof message);
	snprintf(expected, sizeof expected, "%s: cannot read: No such file or directory", path);
	cr_assert_not(missing_ok);
	cr_assert_str_eq(message, expected);
	bool dir_ok = sha256_file_hex(dir, out, &err);
	error_format(&err, message, sizeof message);
	snprintf(expected, sizeof expected, "%s: cannot read: Is a directory", dir);
	rmdir(dir);
	cr_assert_not(dir_ok);
	cr_assert_str_eq(message, expected);
}
