// Browse… for a server path: the server's folders one level at a time through the
// connection (RemoteFolderListing), with sizes and dates and hidden files on request. The
// typed path stays in the path line and is what OK returns unless the user picks another;
// it is also where browsing starts (its folder when it names a file, the home when it is
// not there). Going to another folder: type it and press Enter, or Up.
#pragma once

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTreeView;

namespace rdt {

class RemoteFolderListing;
class RemoteFolderModel;
struct Error;
struct RemoteFolderContents;

class RemoteFolderDialog : public QDialog {
    Q_OBJECT
public:
    // `listing` lives on: the dialog asks it and listens; `typedPath` is the field's text.
    RemoteFolderDialog(RemoteFolderListing *listing, const QString &typedPath, QWidget *parent = nullptr);

    QString selectedPath() const;
    void setShowHidden(bool show);
    void goTo(const QString &path);

    RemoteFolderModel *model() const { return m_model; }
    QTreeView *view() const { return m_view; }
    QLineEdit *pathLine() const { return m_path; }
    QString statusText() const;

private:
    void onListed(const QString &requested, const RemoteFolderContents &contents);
    void onFailed(const QString &requested, const Error &error);
    void chosen(const QModelIndex &proxyIndex);

    RemoteFolderListing *m_listing;
    RemoteFolderModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    QTreeView *m_view = nullptr;
    QLineEdit *m_path = nullptr;
    QCheckBox *m_hidden = nullptr;
    QLabel *m_status = nullptr;
    QString m_rootRequest;      // the folder asked for as the new root
    QString m_fallback;         // where to go when that fails
};

} // namespace rdt
