// MD5 (RFC 1321) of a byte stream or a file: what `md5sum` prints, so dataset statistics
// can name the exact file they belong to. Our own, so rdt-trainer needs no OpenSSL.
#pragma once

#include "data/DataResult.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace rdt::data {

class Md5 {
public:
    Md5();
    void update(const void* data, size_t size);
    // Lower-case hex of the digest; finishes the stream (call once).
    std::string hexDigest();

    // Streams the file in fixed blocks (bounded memory).
    static DataResult<std::string> ofFile(const std::string& path);

private:
    void compress(const uint8_t* block);

    std::array<uint32_t, 4> m_state;
    std::array<uint8_t, 64> m_buffer{};
    uint64_t m_length = 0;  // bytes so far
};

}  // namespace rdt::data
