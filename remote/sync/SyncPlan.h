// What a push or a pull would do, computed from a FileComparison before anything moves:
// the files to send (new or replacing a different copy), their bytes, and the files to
// delete at the destination, which only happens when the user asked for it.
#pragma once

#include "FileComparison.h"

#include <QJsonObject>
#include <QStringList>

namespace rdt {

enum class SyncDirection {
    Push,   // workstation -> server
    Pull,   // server -> workstation
};

struct PlannedTransfer {
    QString relativePath;
    qint64 bytes = 0;
    bool replaces = false;   // the destination has a different copy under this name
};

class SyncPlan {
public:
    // deleteExtra: files only at the destination are deleted (rsync --delete); otherwise
    // they are listed in extrasKept() and left alone.
    [[nodiscard]] static SyncPlan make(const FileComparison &comparison, SyncDirection direction, bool deleteExtra = false);

    SyncDirection direction() const { return m_direction; }
    const QList<PlannedTransfer> &transfers() const { return m_transfers; }
    const QStringList &deletions() const { return m_deletions; }
    const QStringList &extrasKept() const { return m_extrasKept; }
    qint64 bytesToSend() const { return m_bytesToSend; }
    int unchangedCount() const { return m_unchanged; }
    bool isEmpty() const { return m_transfers.isEmpty() && m_deletions.isEmpty(); }

    // "push: 3 files to send (1.2 GB), 1 to delete, 97 unchanged"
    [[nodiscard]] QString summary() const;
    // {"direction": "push"|"pull", "send": [{"path", "bytes", "replaces"}], "bytes": N,
    //  "delete": [paths], "kept": [paths], "unchanged": N}
    [[nodiscard]] QJsonObject toJson() const;

private:
    SyncDirection m_direction = SyncDirection::Push;
    QList<PlannedTransfer> m_transfers;
    QStringList m_deletions;
    QStringList m_extrasKept;
    qint64 m_bytesToSend = 0;
    int m_unchanged = 0;
};

} // namespace rdt
