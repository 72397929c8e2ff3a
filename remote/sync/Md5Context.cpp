// OpenSSL EVP behind Md5Context: EVP_MD_CTX_copy lets hexDigest() finish a copy, so the
// running context goes on.
#include "Md5Context.h"

#include <openssl/evp.h>

namespace rdt {

struct Md5Context::State {
    EVP_MD_CTX *context = EVP_MD_CTX_new();
    ~State() { EVP_MD_CTX_free(context); }
};

Md5Context::Md5Context() : m_state(std::make_unique<State>())
{
    EVP_DigestInit_ex(m_state->context, EVP_md5(), nullptr);
}

Md5Context::~Md5Context() = default;
Md5Context::Md5Context(Md5Context &&) noexcept = default;
Md5Context &Md5Context::operator=(Md5Context &&) noexcept = default;

void Md5Context::update(const char *data, qint64 size)
{
    EVP_DigestUpdate(m_state->context, data, size_t(size));
}

QByteArray Md5Context::hexDigest() const
{
    EVP_MD_CTX *copy = EVP_MD_CTX_new();
    EVP_MD_CTX_copy_ex(copy, m_state->context);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(copy, digest, &length);
    EVP_MD_CTX_free(copy);
    return QByteArray(reinterpret_cast<const char *>(digest), int(length)).toHex();
}

} // namespace rdt
