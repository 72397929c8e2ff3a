// Address parsing and name lookups for hostname canonicalisation, with getaddrinfo() as
// ssh uses it.
#include "SshCanonicalHost.h"

#include <netdb.h>
#include <sys/socket.h>

namespace rdt {

namespace {

bool resolves(const QString &name, int flags)
{
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = flags;
    addrinfo *found = nullptr;
    const int status = getaddrinfo(name.toUtf8().constData(), nullptr, &hints, &found);
    if (found)
        freeaddrinfo(found);
    return status == 0;
}

} // namespace

QString SshCanonicalHost::numericAddress(const QString &host)
{
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICHOST;
    addrinfo *found = nullptr;
    if (getaddrinfo(host.toUtf8().constData(), nullptr, &hints, &found) != 0 || !found)
        return {};
    char text[NI_MAXHOST];
    const int status = getnameinfo(found->ai_addr, found->ai_addrlen, text, sizeof text, nullptr, 0, NI_NUMERICHOST);
    freeaddrinfo(found);
    return status == 0 ? QString::fromLatin1(text) : QString();
}

bool SshCanonicalHost::looksLikeAddress(const QString &host)
{
    if (host.contains(QLatin1Char(':')) || host.contains(QLatin1Char('%')))
        return true;
    return std::all_of(host.cbegin(), host.cend(),
                       [](QChar c) { return c == QLatin1Char('.') || (c >= QLatin1Char('0') && c <= QLatin1Char('9')); });
}

std::optional<QString> SshCanonicalHost::searchDomains(const QString &host, const QStringList &domains, int maxDots)
{
    if (host.endsWith(QLatin1Char('.')))
        return resolves(host, 0) ? host.chopped(1) : QString();
    if (host.count(QLatin1Char('.')) > maxDots)
        return std::nullopt;
    for (const QString &domain : domains) {
        if (domain.compare(QLatin1String("none"), Qt::CaseInsensitive) == 0)
            break;
        // The trailing dot keeps the resolver's own search list out of it, as in ssh.
        const QString candidate = QStringLiteral("%1.%2").arg(host, domain);
        if (resolves(candidate + QLatin1Char('.'), 0))
            return candidate;
    }
    return QString();
}

} // namespace rdt
