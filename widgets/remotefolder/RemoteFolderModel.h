// The server's folders as a lazy tree for the remote folder picker: a folder's entries are
// asked for (listRequested) only when the view opens it, and arrive with setContents().
// Columns: name, size, modified. Names are shown as they are, except that a newline shows
// as "⏎" so a row stays one line; the real name and path are in the roles below.
#pragma once

#include "RemoteFolderListing.h"

#include <QAbstractItemModel>

#include <memory>
#include <vector>

namespace rdt {

class RemoteFolderModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { NameColumn, SizeColumn, ModifiedColumn, ColumnCount };
    static constexpr int PathRole = Qt::UserRole + 1;     // the entry's full path on the server
    static constexpr int IsFolderRole = Qt::UserRole + 2;
    static constexpr int NameRole = Qt::UserRole + 3;     // the name, newlines and all

    explicit RemoteFolderModel(QObject *parent = nullptr);
    ~RemoteFolderModel() override;

    // A new tree rooted at the folder `contents` lists.
    void setRoot(const RemoteFolderContents &contents);
    QString rootPath() const;
    // The entries of the folder at `path` (one asked for with listRequested); a folder not
    // in the tree is ignored.
    void setContents(const QString &path, const RemoteFolderContents &contents);
    // The folder could not be listed: it shows no children and says why in its tooltip.
    void setFailed(const QString &path, const QString &why);
    QModelIndex indexOfPath(const QString &path) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void listRequested(const QString &path);

private:
    struct Node;
    Node *nodeOf(const QModelIndex &index) const;
    QModelIndex indexOf(Node *node) const;
    void fill(Node *node, const RemoteFolderContents &contents);

    std::unique_ptr<Node> m_root;
};

} // namespace rdt
