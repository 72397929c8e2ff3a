// Wires the main window's intents to the SSH client and the server check, and the
// connection's questions (host keys, passphrases) to dialogs in the GUI thread.
#pragma once

#include "HostProfile.h"
#include "Result.h"
#include "SshQuestions.h"

#include <QObject>

#include <memory>
#include <optional>

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
    // Fills the connection form from the profile; its user, port and identity apply to the
    // next connection as long as the form still shows the profile's host and jumps.
    void useProfile(const HostProfile &profile);

private:
    SshQuestions dialogQuestions();
    void retireClient();
    void showError(const Error &error);
    void saveSettings() const;
    void loadSettings();

    MainWindow *m_window;
    SshClient *m_client = nullptr;
    ServerCheck *m_check = nullptr;
    std::optional<HostProfile> m_profile;  // the profile last put into the form
};

} // namespace rdt
