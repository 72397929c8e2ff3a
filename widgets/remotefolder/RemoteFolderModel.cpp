// Nodes own their children; an index's internal pointer is its node. A folder is "listed"
// once its entries came (or its listing failed), "listing" while they are on their way.
#include "RemoteFolderModel.h"

#include <QLocale>

namespace rdt {

struct RemoteFolderModel::Node {
    RemoteFolderEntry entry;
    QString path;
    Node *parent = nullptr;
    std::vector<std::unique_ptr<Node>> children;
    bool listed = false;
    bool listing = false;
    QString error;
};

namespace {

QString childPath(const QString &folder, const QString &name)
{
    return folder.endsWith(QLatin1Char('/')) ? folder + name : folder + QLatin1Char('/') + name;
}

} // namespace

RemoteFolderModel::RemoteFolderModel(QObject *parent) : QAbstractItemModel(parent), m_root(std::make_unique<Node>()) {}

RemoteFolderModel::~RemoteFolderModel() = default;

void RemoteFolderModel::setRoot(const RemoteFolderContents &contents)
{
    beginResetModel();
    m_root = std::make_unique<Node>();
    m_root->path = contents.path;
    m_root->entry.isFolder = true;
    m_root->listed = true;
    for (const RemoteFolderEntry &entry : contents.entries) {
        auto node = std::make_unique<Node>();
        node->entry = entry;
        node->path = childPath(contents.path, entry.name);
        node->parent = m_root.get();
        m_root->children.push_back(std::move(node));
    }
    endResetModel();
}

QString RemoteFolderModel::rootPath() const
{
    return m_root->path;
}

void RemoteFolderModel::fill(Node *node, const RemoteFolderContents &contents)
{
    node->listing = false;
    node->listed = true;
    if (contents.entries.isEmpty()) {
        const QModelIndex index = indexOf(node);
        emit dataChanged(index, index);   // its expander goes
        return;
    }
    beginInsertRows(indexOf(node), 0, int(contents.entries.size()) - 1);
    for (const RemoteFolderEntry &entry : contents.entries) {
        auto child = std::make_unique<Node>();
        child->entry = entry;
        child->path = childPath(node->path, entry.name);
        child->parent = node;
        node->children.push_back(std::move(child));
    }
    endInsertRows();
}

void RemoteFolderModel::setContents(const QString &path, const RemoteFolderContents &contents)
{
    const QModelIndex index = indexOfPath(path);
    Node *node = index.isValid() ? nodeOf(index) : (path == m_root->path ? m_root.get() : nullptr);
    if (!node || node->listed)
        return;
    fill(node, contents);
}

void RemoteFolderModel::setFailed(const QString &path, const QString &why)
{
    const QModelIndex index = indexOfPath(path);
    if (!index.isValid())
        return;
    Node *node = nodeOf(index);
    node->listing = false;
    node->listed = true;
    node->error = why;
    emit dataChanged(index, this->index(index.row(), ColumnCount - 1, index.parent()));
}

QModelIndex RemoteFolderModel::indexOfPath(const QString &path) const
{
    // Walk down by name: paths are the root's plus one name per level.
    if (!path.startsWith(m_root->path) || path == m_root->path)
        return {};
    Node *node = m_root.get();
    QString rest = path.mid(m_root->path.size());
    if (rest.startsWith(QLatin1Char('/')))
        rest.remove(0, 1);
    while (!rest.isEmpty()) {
        Node *next = nullptr;
        for (const auto &child : node->children) {
            const QString &name = child->entry.name;
            if (rest == name || rest.startsWith(name + QLatin1Char('/'))) {
                next = child.get();
                rest.remove(0, std::min<qsizetype>(rest.size(), name.size() + 1));
                break;
            }
        }
        if (!next)
            return {};
        node = next;
    }
    return indexOf(node);
}

RemoteFolderModel::Node *RemoteFolderModel::nodeOf(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<Node *>(index.internalPointer()) : m_root.get();
}

QModelIndex RemoteFolderModel::indexOf(Node *node) const
{
    if (!node || node == m_root.get() || !node->parent)
        return {};
    const auto &siblings = node->parent->children;
    for (size_t row = 0; row < siblings.size(); ++row) {
        if (siblings[row].get() == node)
            return createIndex(int(row), 0, node);
    }
    return {};
}

QModelIndex RemoteFolderModel::index(int row, int column, const QModelIndex &parent) const
{
    Node *node = nodeOf(parent);
    if (row < 0 || column < 0 || column >= ColumnCount || row >= int(node->children.size()))
        return {};
    return createIndex(row, column, node->children[size_t(row)].get());
}

QModelIndex RemoteFolderModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    return indexOf(nodeOf(child)->parent);
}

int RemoteFolderModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return int(nodeOf(parent)->children.size());
}

int RemoteFolderModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

bool RemoteFolderModel::hasChildren(const QModelIndex &parent) const
{
    const Node *node = nodeOf(parent);
    if (parent.isValid() && parent.column() != 0)
        return false;
    return node->listed ? !node->children.empty() : node->entry.isFolder;
}

bool RemoteFolderModel::canFetchMore(const QModelIndex &parent) const
{
    const Node *node = nodeOf(parent);
    return parent.isValid() && node->entry.isFolder && !node->listed && !node->listing;
}

void RemoteFolderModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    Node *node = nodeOf(parent);
    node->listing = true;
    emit listRequested(node->path);
}

QVariant RemoteFolderModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const Node *node = nodeOf(index);
    const RemoteFolderEntry &entry = node->entry;
    switch (role) {
    case PathRole: return node->path;
    case IsFolderRole: return entry.isFolder;
    case NameRole: return entry.name;
    case Qt::ToolTipRole:
        return node->error.isEmpty() ? node->path : tr("%1: %2").arg(node->path, node->error);
    case Qt::DisplayRole:
        switch (Column(index.column())) {
        case NameColumn: {
            QString shown = entry.name;
            shown.replace(QLatin1Char('\n'), QChar(0x23CE));
            if (entry.isFolder)
                shown += QLatin1Char('/');
            return node->error.isEmpty() ? shown : tr("%1 (%2)").arg(shown, node->error);
        }
        case SizeColumn: return entry.isFolder ? QString() : QLocale().formattedDataSize(entry.sizeBytes);
        case ModifiedColumn: return QLocale().toString(entry.modified, QLocale::ShortFormat);
        case ColumnCount: break;
        }
        return {};
    case Qt::TextAlignmentRole:
        return index.column() == SizeColumn ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    default:
        return {};
    }
}

QVariant RemoteFolderModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case NameColumn: return tr("Name");
    case SizeColumn: return tr("Size");
    case ModifiedColumn: return tr("Modified");
    case ColumnCount: break;
    }
    return {};
}

} // namespace rdt
