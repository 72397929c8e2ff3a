// Wires the main window's intents to the SSH client and the server check, and the
// connection's questions (host keys, passphrases) to dialogs in the GUI thread.
#pragma once

#include "Result.h"
#include "SshQuestions.h"

#include <QObject>

#include <memory>

namespace rdt {

class MainWindow;
class ServerCheck;
class SshClient;

class WorkbenchController : public QObject {
    Q_OBJECT
public:
    explicit WorkbenchController(MainWindow *window);
    ~WorkbenchController() override;

    void connectToServer();
    void disconnectFromServer();
    void checkServer();
    void cancel();

private:
    SshQuestions dialogQuestions();
    void retireClient();
    void showError(const Error &error);
    void saveSettings() const;
    void loadSettings();

    MainWindow *m_window;
    SshClient *m_client = nullptr;
    ServerCheck *m_check = nullptr;
};

} // namespace rdt
