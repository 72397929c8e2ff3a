// The list of saved host profiles with New, From ~/.ssh/config…, Edit, Duplicate, Delete and
// Use. It edits the store and emits profileActivated; what "use" means is the app's business.
#pragma once

#include "HostProfile.h"

#include <QWidget>

#include <memory>

class QLabel;
class QPushButton;
class QTableView;

namespace rdt {

class HostProfileListModel;
class HostProfileStore;

class HostProfilesPanel : public QWidget {
    Q_OBJECT
public:
    // Takes the store and loads it; a store that cannot be read leaves the list empty and
    // says why in the panel.
    explicit HostProfilesPanel(std::unique_ptr<HostProfileStore> store, QWidget *parent = nullptr);
    ~HostProfilesPanel() override;

    HostProfileStore *store() const { return m_store.get(); }
    HostProfileListModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }

    // The ssh_config that "From ~/.ssh/config…" reads; empty: ~/.ssh/config.
    void setSshConfigFile(const QString &path) { m_sshConfigFile = path; }

    // The selected profile's name; empty when none is selected.
    QString currentName() const;
    void selectProfile(const QString &name);
    // The line under the list: the last action's outcome or error.
    QString statusText() const;

public Q_SLOTS:
    void newProfile();
    void addFromSshConfig();
    void editCurrent();
    void duplicateCurrent();
    void deleteCurrent();
    void useCurrent();

Q_SIGNALS:
    void profileActivated(const rdt::HostProfile &profile);

private:
    // Runs the dialog until the store takes the profile or the user cancels; previousName
    // empty adds a new profile. Returns whether it was saved.
    bool editInDialog(const HostProfile &start, const QString &previousName, const QString &title);
    void refresh(const QString &selectName);
    void showStatus(const QString &message, bool isError = false);
    void updateButtons();

    std::unique_ptr<HostProfileStore> m_store;
    HostProfileListModel *m_model;
    QTableView *m_view;
    QPushButton *m_new;
    QPushButton *m_fromConfig;
    QPushButton *m_edit;
    QPushButton *m_duplicate;
    QPushButton *m_delete;
    QPushButton *m_use;
    QLabel *m_status;
    QString m_sshConfigFile;
};

} // namespace rdt
