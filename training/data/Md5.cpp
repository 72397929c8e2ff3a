// MD5 per RFC 1321, section 3: 64-byte blocks, four rounds of 16 operations.
#include "data/Md5.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

namespace rdt::data {
namespace {

// Per-operation left rotations and the sine-derived constants K[i] = floor(|sin(i+1)| 2^32).
constexpr uint32_t kShift[64] = {
    7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
    5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
    4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
    6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21};
constexpr uint32_t kSine[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391};
// Which message word operation i reads: i, 5i+1, 3i+5, 7i (mod 16) in rounds 1-4.
constexpr uint8_t kIndex[64] = {
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
    1, 6, 11, 0, 5, 10, 15, 4, 9, 14, 3, 8, 13, 2, 7, 12,
    5, 8, 11, 14, 1, 4, 7, 10, 13, 0, 3, 6, 9, 12, 15, 2,
    0, 7, 14, 5, 12, 3, 10, 1, 8, 15, 6, 13, 4, 11, 2, 9};
// Files are hashed in blocks of this size: large enough for full disk throughput.
constexpr size_t kFileBlock = 1 << 20;

uint32_t rotateLeft(uint32_t x, uint32_t n)
{
    return (x << n) | (x >> (32 - n));
}

struct FileCloser {
    void operator()(std::FILE* file) const noexcept { std::fclose(file); }
};

}  // namespace

Md5::Md5() : m_state{0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476} {}

// One operation of round R: a = b + rotl(a + F(b, c, d) + K[i] + M[g(i)], s[i]), then the
// registers rotate. Written out per round (no per-step branch): this is the hot loop.
#define RDT_MD5_STEP(F, a, b, c, d, i) \
    a = b + rotateLeft(a + (F) + kSine[i] + m[kIndex[i]], kShift[i])

void Md5::compress(const uint8_t* block)
{
    uint32_t m[16];
    for (int i = 0; i < 16; ++i)  // little-endian words
        m[i] = uint32_t(block[i * 4]) | uint32_t(block[i * 4 + 1]) << 8 |
               uint32_t(block[i * 4 + 2]) << 16 | uint32_t(block[i * 4 + 3]) << 24;
    uint32_t a = m_state[0], b = m_state[1], c = m_state[2], d = m_state[3];
    for (int i = 0; i < 16; i += 4) {
        RDT_MD5_STEP((b & c) | (~b & d), a, b, c, d, i);
        RDT_MD5_STEP((a & b) | (~a & c), d, a, b, c, i + 1);
        RDT_MD5_STEP((d & a) | (~d & b), c, d, a, b, i + 2);
        RDT_MD5_STEP((c & d) | (~c & a), b, c, d, a, i + 3);
    }
    for (int i = 16; i < 32; i += 4) {
        RDT_MD5_STEP((b & d) | (c & ~d), a, b, c, d, i);
        RDT_MD5_STEP((a & c) | (b & ~c), d, a, b, c, i + 1);
        RDT_MD5_STEP((d & b) | (a & ~b), c, d, a, b, i + 2);
        RDT_MD5_STEP((c & a) | (d & ~a), b, c, d, a, i + 3);
    }
    for (int i = 32; i < 48; i += 4) {
        RDT_MD5_STEP(b ^ c ^ d, a, b, c, d, i);
        RDT_MD5_STEP(a ^ b ^ c, d, a, b, c, i + 1);
        RDT_MD5_STEP(d ^ a ^ b, c, d, a, b, i + 2);
        RDT_MD5_STEP(c ^ d ^ a, b, c, d, a, i + 3);
    }
    for (int i = 48; i < 64; i += 4) {
        RDT_MD5_STEP(c ^ (b | ~d), a, b, c, d, i);
        RDT_MD5_STEP(b ^ (a | ~c), d, a, b, c, i + 1);
        RDT_MD5_STEP(a ^ (d | ~b), c, d, a, b, i + 2);
        RDT_MD5_STEP(d ^ (c | ~a), b, c, d, a, i + 3);
    }
    m_state[0] += a;
    m_state[1] += b;
    m_state[2] += c;
    m_state[3] += d;
}

#undef RDT_MD5_STEP

void Md5::update(const void* data, size_t size)
{
    const auto* bytes = static_cast<const uint8_t*>(data);
    size_t used = static_cast<size_t>(m_length % 64);
    m_length += size;
    if (used) {
        const size_t take = std::min(size, 64 - used);
        std::memcpy(m_buffer.data() + used, bytes, take);
        bytes += take;
        size -= take;
        used += take;
        if (used < 64)
            return;
        compress(m_buffer.data());
    }
    for (; size >= 64; bytes += 64, size -= 64)
        compress(bytes);
    std::memcpy(m_buffer.data(), bytes, size);
}

std::string Md5::hexDigest()
{
    // Padding: 0x80, zeros to 56 mod 64, then the bit length little-endian.
    const uint64_t bits = m_length * 8;
    const uint8_t one = 0x80;
    update(&one, 1);
    const uint8_t zero = 0;
    while (m_length % 64 != 56)
        update(&zero, 1);
    uint8_t length[8];
    for (int i = 0; i < 8; ++i)
        length[i] = static_cast<uint8_t>(bits >> (8 * i));
    update(length, 8);

    static const char kHex[] = "0123456789abcdef";
    std::string hex;
    for (uint32_t word : m_state) {
        for (int i = 0; i < 4; ++i) {
            const uint8_t byte = static_cast<uint8_t>(word >> (8 * i));
            hex += kHex[byte >> 4];
            hex += kHex[byte & 15];
        }
    }
    return hex;
}

DataResult<std::string> Md5::ofFile(const std::string& path)
{
    std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
    if (!file)
        return DataError{path + ": cannot open for MD5: " + std::strerror(errno)};
    Md5 md5;
    std::vector<uint8_t> block(kFileBlock);
    for (;;) {
        const size_t got = std::fread(block.data(), 1, block.size(), file.get());
        md5.update(block.data(), got);
        if (got < block.size()) {
            if (std::ferror(file.get()))
                return DataError{path + ": read error while computing MD5"};
            break;
        }
    }
    return md5.hexDigest();
}

}  // namespace rdt::data
