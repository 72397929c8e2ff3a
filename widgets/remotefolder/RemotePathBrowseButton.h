// "Browse…" beside a field that holds a server path: opens the remote folder picker at the
// field's text over the current connection and writes the picked path back into the field.
// The field stays editable; without a connection the button says so instead of opening.
#pragma once

#include <QPushButton>

#include <functional>

class QLineEdit;

namespace rdt {

class RemoteFolderDialog;
class RemoteFolderListing;
class SshClient;

class RemotePathBrowseButton : public QPushButton {
    Q_OBJECT
public:
    using ClientSource = std::function<SshClient *()>;

    // `client` is asked at each click: the connection may change while the page lives.
    RemotePathBrowseButton(QLineEdit *field, ClientSource client, QWidget *parent = nullptr);

    // The field and this button in one row, for a form.
    static QWidget *row(QLineEdit *field, ClientSource client, QWidget *parent = nullptr);

    RemoteFolderDialog *dialog() const { return m_dialog; }   // while open

private:
    void browse();

    QLineEdit *m_field;
    ClientSource m_client;
    RemoteFolderListing *m_listing = nullptr;
    RemoteFolderDialog *m_dialog = nullptr;
};

} // namespace rdt
