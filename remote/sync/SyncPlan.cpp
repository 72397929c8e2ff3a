// SyncPlan: one pass over the comparison; which side is the source decides what "missing"
// means for each file.
#include "SyncPlan.h"

#include <QJsonArray>
#include <QLocale>

namespace rdt {

SyncPlan SyncPlan::make(const FileComparison &comparison, SyncDirection direction, bool deleteExtra)
{
    SyncPlan plan;
    plan.m_direction = direction;
    const bool push = direction == SyncDirection::Push;
    for (const ComparedFile &file : comparison.files()) {
        const std::optional<FileChecksum> &source = push ? file.local : file.remote;
        const std::optional<FileChecksum> &destination = push ? file.remote : file.local;
        if (file.state == FileState::Same) {
            ++plan.m_unchanged;
        } else if (source) {
            plan.m_transfers.append(PlannedTransfer{file.relativePath, source->size, destination.has_value()});
            plan.m_bytesToSend += source->size;
        } else if (deleteExtra) {
            plan.m_deletions.append(file.relativePath);
        } else {
            plan.m_extrasKept.append(file.relativePath);
        }
    }
    return plan;
}

QString SyncPlan::summary() const
{
    const QString verb = m_direction == SyncDirection::Push ? QStringLiteral("push") : QStringLiteral("pull");
    QString text = QStringLiteral("%1: %2 file%3 to send (%4)")
                       .arg(verb)
                       .arg(m_transfers.size())
                       .arg(m_transfers.size() == 1 ? QString() : QStringLiteral("s"))
                       .arg(QLocale::c().formattedDataSize(m_bytesToSend, 1, QLocale::DataSizeSIFormat));
    if (!m_deletions.isEmpty())
        text += QStringLiteral(", %1 to delete").arg(m_deletions.size());
    if (!m_extrasKept.isEmpty())
        text += QStringLiteral(", %1 only at the destination (kept; --delete removes them)").arg(m_extrasKept.size());
    text += QStringLiteral(", %1 unchanged").arg(m_unchanged);
    return text;
}

QJsonObject SyncPlan::toJson() const
{
    QJsonArray send;
    for (const PlannedTransfer &transfer : m_transfers) {
        QJsonObject entry;
        entry.insert(QStringLiteral("path"), transfer.relativePath);
        entry.insert(QStringLiteral("bytes"), double(transfer.bytes));
        entry.insert(QStringLiteral("replaces"), transfer.replaces);
        send.append(entry);
    }
    QJsonObject json;
    json.insert(QStringLiteral("direction"), m_direction == SyncDirection::Push ? QStringLiteral("push") : QStringLiteral("pull"));
    json.insert(QStringLiteral("send"), send);
    json.insert(QStringLiteral("bytes"), double(m_bytesToSend));
    json.insert(QStringLiteral("delete"), QJsonArray::fromStringList(m_deletions));
    json.insert(QStringLiteral("kept"), QJsonArray::fromStringList(m_extrasKept));
    json.insert(QStringLiteral("unchanged"), m_unchanged);
    return json;
}

} // namespace rdt
