// Asks the user about a host key the workstation has never seen: the host, the key type
// and its SHA256 fingerprint, with "accept once", "accept and remember" and "cancel".
#pragma once

#include "SshQuestions.h"

#include <QDialog>

namespace rdt {

class HostKeyDialog : public QDialog {
    Q_OBJECT
public:
    explicit HostKeyDialog(const HostKeyQuestion &question, QWidget *parent = nullptr);

    HostKeyAnswer answer() const { return m_answer; }

    // Shows the dialog modally and returns the answer (Reject when closed).
    static HostKeyAnswer ask(const HostKeyQuestion &question, QWidget *parent);

private:
    HostKeyAnswer m_answer = HostKeyAnswer::Reject;
};

} // namespace rdt
