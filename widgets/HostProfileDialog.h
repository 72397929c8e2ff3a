// The form that edits one host profile: where the server is, how to reach it, and where its
// files are, locally and remotely. OK is refused, with the reason shown, while the profile is
// not valid.
#pragma once

#include "HostProfile.h"

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace rdt {

class HostProfileDialog : public QDialog {
    Q_OBJECT
public:
    explicit HostProfileDialog(const HostProfile &profile, QWidget *parent = nullptr);

    void setProfile(const HostProfile &profile);
    // The profile as the fields show it now (jump hosts split at commas).
    HostProfile profile() const;

    // Shows a reason the caller refused the profile (a name already taken), so the user can
    // fix it without retyping the rest.
    void setError(const QString &message);
    QString error() const;

    // Accepts only a valid profile; otherwise says why and stays open.
    void accept() override;

private:
    QLineEdit *pathField(const QString &placeholder, bool directory, const QString &caption,
                         QWidget **row);

    QLineEdit *m_name;
    QLineEdit *m_host;
    QLineEdit *m_jumps;
    QLineEdit *m_user;
    QSpinBox *m_port;
    QLineEdit *m_identity;
    QLineEdit *m_remoteRoot;
    QLineEdit *m_dataset;
    QLineEdit *m_model;
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
};

} // namespace rdt
