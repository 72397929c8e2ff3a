// The name ssh finally connects to: numeric addresses in their canonical form, and
// CanonicalizeHostname's search of CanonicalDomains (ssh.c's resolve_canonicalize()).
#pragma once

#include "Result.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace rdt {

class SshCanonicalHost {
public:
    // "127.1" -> "127.0.0.1", "::0001" -> "::1"; empty when `host` is not an address.
    static QString numericAddress(const QString &host);

    // ssh's is_addr_fast(): looks like an address (digits and dots, or a ':' or '%').
    static bool looksLikeAddress(const QString &host);

    // The first `host.domain` that resolves, tried only when `host` has at most maxDots
    // dots; a name ending in '.' is tried as it is. Empty when none resolves; nullopt when
    // the name has too many dots to be tried at all (then CanonicalizeFallbackLocal no
    // does not apply, as in ssh).
    static std::optional<QString> searchDomains(const QString &host, const QStringList &domains, int maxDots);
};

} // namespace rdt
