// Table rows of the host profiles; the tooltip tells the overrides the columns leave out.
#include "HostProfileListModel.h"

#include <QFont>

namespace rdt {

HostProfileListModel::HostProfileListModel(QObject *parent) : QAbstractTableModel(parent) {}

void HostProfileListModel::setProfiles(const QList<HostProfile> &profiles)
{
    beginResetModel();
    m_rows.assign(profiles.cbegin(), profiles.cend());
    endResetModel();
}

const HostProfile *HostProfileListModel::profileAt(int row) const
{
    if (row < 0 || row >= int(m_rows.size()))
        return nullptr;
    return &m_rows[size_t(row)];
}

int HostProfileListModel::rowOf(const QString &name) const
{
    for (size_t i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].name == name)
            return int(i);
    return -1;
}

int HostProfileListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int HostProfileListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant HostProfileListModel::data(const QModelIndex &index, int role) const
{
    const HostProfile *profile = index.isValid() ? profileAt(index.row()) : nullptr;
    if (!profile)
        return {};
    if (role == Qt::DisplayRole) {
        switch (Column(index.column())) {
        case NameColumn: return profile->name;
        case HostColumn: {
            // The overrides belong to the host as the user reads it: alice@gpu01:2222.
            QString host = profile->host;
            if (!profile->user.isEmpty())
                host = profile->user + QLatin1Char('@') + host;
            if (profile->port > 0)
                host += QStringLiteral(":%1").arg(profile->port);
            return host;
        }
        case JumpsColumn:
            // Empty is not "direct": ProxyJump in ssh_config still applies.
            return profile->jumps.isEmpty() ? tr("as in ~/.ssh/config")
                                            : profile->jumps.join(QStringLiteral(" → "));
        case RemoteRootColumn: return profile->remoteRoot;
        case ColumnCount: break;
        }
    } else if (role == Qt::FontRole && index.column() == JumpsColumn && profile->jumps.isEmpty()) {
        QFont font;
        font.setItalic(true);  // a note, not a host name
        return font;
    } else if (role == Qt::ToolTipRole) {
        QStringList lines;
        lines << tr("Remote root: %1").arg(profile->remoteRoot);
        lines << tr("Identity: %1").arg(profile->identityFile.isEmpty() ? tr("agent / ssh_config")
                                                                         : profile->identityFile);
        if (!profile->localDatasetPath.isEmpty())
            lines << tr("Dataset: %1").arg(profile->localDatasetPath);
        if (!profile->localModelPath.isEmpty())
            lines << tr("Model: %1").arg(profile->localModelPath);
        return lines.join(QLatin1Char('\n'));
    }
    return {};
}

QVariant HostProfileListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case NameColumn: return tr("Name");
    case HostColumn: return tr("Host");
    case JumpsColumn: return tr("Jump hosts");
    case RemoteRootColumn: return tr("Remote root");
    case ColumnCount: break;
    }
    return {};
}

} // namespace rdt
