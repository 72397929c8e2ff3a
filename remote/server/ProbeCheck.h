// What the server probe's checks (MachineChecks, InstallChecks) share: how an item is made,
// how sizes and paths are worded, and the item for a section the output lacks.
#pragma once

#include "CheckItem.h"
#include "ProbeSection.h"

#include <QString>

namespace rdt {

class ProbeCheck {
public:
    static CheckItem makeItem(CheckId id, const QString &title, CheckStatus status,
                              const QString &detail, const QString &hint = {});
    // The probe script printed no section of this name: the script and the parser disagree.
    static CheckItem missingSection(CheckId id, const QString &title, const QString &section);
    // "2.3 GiB", "512 MiB", "17 bytes".
    static QString formatBytes(qint64 bytes);
    // A path quoted for hints the user will paste into a shell on the server.
    static QString quoted(const QString &path);
};

} // namespace rdt
