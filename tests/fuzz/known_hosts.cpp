// Fuzzes the known_hosts reader: markers (@revoked, @cert-authority), comments, the lines
// libssh parses (hashed names, patterns, [host]:port), then a lookup of one host's key
// against them. No crash, no undefined behaviour, no leak. The input is written to a
// scratch file, since KnownHosts reads files as ssh does.
#include "KnownHosts.h"
#include "SshHost.h"

#include <QFile>

#include <cstdint>
#include <cstdlib>
#include <unistd.h>

namespace {

QString scratchFile()
{
    static const QString path = [] {
        char name[] = "/tmp/rdt-fuzz-known-hosts-XXXXXX";
        const int fd = mkstemp(name);
        if (fd < 0)
            std::abort();
        close(fd);
        return QString::fromLatin1(name);
    }();
    return path;
}

// One host key for every run: the lookup compares the listed keys with it.
ssh_key hostKey()
{
    static ssh_key key = [] {
        ssh_key generated = nullptr;
        if (ssh_pki_generate(SSH_KEYTYPE_ED25519, 0, &generated) != SSH_OK)
            std::abort();
        return generated;
    }();
    return key;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString path = scratchFile();
    {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            std::abort();
        file.write(reinterpret_cast<const char *>(data), qint64(size));
    }
    rdt::SshHost host;
    host.hostName = QStringLiteral("gpu01");
    host.port = 2222;
    host.userKnownHostsFiles = {path};
    host.knownHostsFile = path;
    const rdt::KnownHosts knownHosts(host);
    (void)knownHosts.preferredHostKeyAlgorithms();
    (void)knownHosts.check(hostKey(), QStringLiteral("10.0.0.7"));
    return 0;
}
