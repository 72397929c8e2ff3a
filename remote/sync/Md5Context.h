// Incremental MD5 (what md5sum prints), for hashing bytes as they stream through a
// transfer and for continuing a hash over a resumed file. Move-only owner of an OpenSSL
// digest context.
#pragma once

#include <QByteArray>

#include <memory>

namespace rdt {

class Md5Context {
public:
    Md5Context();
    ~Md5Context();
    Md5Context(Md5Context &&) noexcept;
    Md5Context &operator=(Md5Context &&) noexcept;

    void update(const char *data, qint64 size);
    // Lower-case hex of everything so far; the context keeps accepting data after it.
    QByteArray hexDigest() const;

private:
    struct State;
    std::unique_ptr<State> m_state;
};

} // namespace rdt
