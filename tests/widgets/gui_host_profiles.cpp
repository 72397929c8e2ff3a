// Host profiles in the GUI: the list model under QAbstractItemModelTester, the panel's
// buttons driven as a user would (dialogs answered as they open), and the main window
// filling the connection form from a profile. Screenshots land in build/screenshots.
#include "ConnectionPanel.h"
#include "HostProfileDialog.h"
#include "HostProfileListModel.h"
#include "HostProfileStore.h"
#include "HostProfilesPanel.h"
#include "MainWindow.h"
#include "WorkbenchController.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include <deque>
#include <functional>

namespace {

rdt::HostProfile profile(const QString &name, const QString &host, const QStringList &jumps = {})
{
    rdt::HostProfile p;
    p.name = name;
    p.host = host;
    p.jumps = jumps;
    return p;
}

QPushButton *buttonNamed(QWidget *parent, const QString &text)
{
    for (QPushButton *button : parent->findChildren<QPushButton *>())
        if (button->text() == text)
            return button;
    return nullptr;
}

bool saveScreenshot(QWidget *widget, const QString &name)
{
    QDir().mkpath(QStringLiteral(RDT_SCREENSHOT_DIR));
    const QString shot = QStringLiteral(RDT_SCREENSHOT_DIR "/") + name;
    const bool saved = widget->grab().save(shot);
    qInfo("screenshot: %s", qPrintable(shot));
    return saved;
}

} // namespace

class HostProfilesTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    // Answers for the modal dialogs the next click opens, in the order they appear; a poll
    // hands each visible modal dialog to the next answer (exec() keeps the event loop going).
    std::deque<std::function<void(QWidget *)>> m_answers;
    QTimer m_answerer;
    int m_unanswered = 0;

    void answerNext(std::function<void(QWidget *)> answer) { m_answers.push_back(std::move(answer)); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_answerer.setInterval(20);
        connect(&m_answerer, &QTimer::timeout, this, [this] {
            QWidget *modal = QApplication::activeModalWidget();
            if (!modal || !modal->isVisible())
                return;
            if (m_answers.empty()) {
                // A dialog nobody expected: close it so the test fails instead of hanging.
                ++m_unanswered;
                qWarning("unexpected dialog '%s'", qPrintable(modal->windowTitle()));
                if (auto *dialog = qobject_cast<QDialog *>(modal))
                    dialog->reject();
                return;
            }
            auto answer = std::move(m_answers.front());
            m_answers.pop_front();
            answer(modal);
        });
        m_answerer.start();
    }

    void init() { m_unanswered = 0; m_answers.clear(); }
    void cleanup() { QCOMPARE(m_unanswered, 0); }

    void modelFollowsProfiles()
    {
        rdt::HostProfileListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.columnCount(), int(rdt::HostProfileListModel::ColumnCount));

        rdt::HostProfile overridden = profile(QStringLiteral("lab"), QStringLiteral("gpu01"),
                                              {QStringLiteral("bastion"), QStringLiteral("jump2")});
        overridden.user = QStringLiteral("rdt");
        overridden.port = 2200;
        overridden.localDatasetPath = QStringLiteral("/data/libero.hdf5");
        model.setProfiles({overridden, profile(QStringLiteral("direct"), QStringLiteral("10.0.0.5"))});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0, rdt::HostProfileListModel::NameColumn).data().toString(), QStringLiteral("lab"));
        QCOMPARE(model.index(0, rdt::HostProfileListModel::HostColumn).data().toString(), QStringLiteral("rdt@gpu01:2200"));
        QCOMPARE(model.index(0, rdt::HostProfileListModel::JumpsColumn).data().toString(), QStringLiteral("bastion → jump2"));
        QCOMPARE(model.index(0, rdt::HostProfileListModel::RemoteRootColumn).data().toString(),
                 QStringLiteral("~/RoboticsDiffusionTransformer"));
        QVERIFY(model.index(0, 0).data(Qt::ToolTipRole).toString().contains(QLatin1String("/data/libero.hdf5")));
        QVERIFY(model.index(1, rdt::HostProfileListModel::JumpsColumn).data().toString().contains(QLatin1String("ssh/config")));
        QVERIFY(model.index(1, rdt::HostProfileListModel::JumpsColumn).data(Qt::FontRole).value<QFont>().italic());
        QCOMPARE(model.headerData(rdt::HostProfileListModel::JumpsColumn, Qt::Horizontal).toString(), QStringLiteral("Jump hosts"));
        QCOMPARE(model.rowOf(QStringLiteral("direct")), 1);
        QVERIFY(!model.profileAt(2));

        model.setProfiles({});
        QCOMPARE(model.rowCount(), 0);
    }

    void dialogRefusesInvalidProfiles()
    {
        rdt::HostProfileDialog dialog(rdt::HostProfile{});
        QCOMPARE(dialog.profile().remoteRoot, QStringLiteral("~/RoboticsDiffusionTransformer"));
        dialog.show();
        dialog.accept();
        QVERIFY(dialog.isVisible());
        QVERIFY2(dialog.error().contains(QLatin1String("name is empty")), qPrintable(dialog.error()));
        QVERIFY(saveScreenshot(&dialog, QStringLiteral("host-profile-dialog.png")));
        dialog.findChild<QLineEdit *>(QStringLiteral("name"))->setText(QStringLiteral("lab"));
        dialog.accept();
        QVERIFY2(dialog.error().contains(QLatin1String("host is empty")), qPrintable(dialog.error()));
        dialog.findChild<QLineEdit *>(QStringLiteral("host"))->setText(QStringLiteral("gpu01"));
        dialog.findChild<QLineEdit *>(QStringLiteral("jumps"))->setText(QStringLiteral(" bastion , jump2 ,"));
        dialog.accept();
        QVERIFY(!dialog.isVisible());
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(dialog.profile().jumps, QStringList({QStringLiteral("bastion"), QStringLiteral("jump2")}));
        QCOMPARE(dialog.profile().port, 0);
    }

    void panelButtons()
    {
        const QString ini = m_dir.filePath(QStringLiteral("panel.ini"));
        rdt::HostProfilesPanel panel(std::make_unique<rdt::HostProfileStore>(ini));
        panel.resize(760, 420);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        rdt::HostProfileStore *store = panel.store();
        QCOMPARE(panel.model()->rowCount(), 0);
        QVERIFY(!buttonNamed(&panel, QStringLiteral("Edit…"))->isEnabled());

        // New: fill the form and press OK.
        answerNext([](QWidget *modal) {
            auto *dialog = qobject_cast<rdt::HostProfileDialog *>(modal);
            QVERIFY(dialog);
            rdt::HostProfile lab = profile(QStringLiteral("lab A800"), QStringLiteral("gpu01"),
                                           {QStringLiteral("bastion")});
            lab.localModelPath = QStringLiteral("/models/rdt-1b");
            dialog->setProfile(lab);
            dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
        });
        buttonNamed(&panel, QStringLiteral("New…"))->click();
        QVERIFY(m_answers.empty());
        QCOMPARE(store->profiles().size(), 1);
        QCOMPARE(panel.currentName(), QStringLiteral("lab A800"));
        QCOMPARE(store->find(QStringLiteral("lab A800"))->localModelPath, QStringLiteral("/models/rdt-1b"));

        // Duplicate, then Edit the copy onto the original's name: the dialog stays open and
        // says why; Cancel leaves the copy as it was.
        buttonNamed(&panel, QStringLiteral("Duplicate"))->click();
        QCOMPARE(panel.currentName(), QStringLiteral("lab A800 (copy)"));
        QString refusal;
        answerNext([](QWidget *modal) {
            auto *dialog = qobject_cast<rdt::HostProfileDialog *>(modal);
            QVERIFY(dialog);
            QCOMPARE(dialog->profile().name, QStringLiteral("lab A800 (copy)"));
            dialog->findChild<QLineEdit *>(QStringLiteral("name"))->setText(QStringLiteral("lab A800"));
            dialog->findChild<QLineEdit *>(QStringLiteral("host"))->setText(QStringLiteral("gpu02"));
            dialog->accept();
        });
        answerNext([&refusal](QWidget *modal) {
            auto *dialog = qobject_cast<rdt::HostProfileDialog *>(modal);
            QVERIFY(dialog);
            refusal = dialog->error();
            QCOMPARE(dialog->profile().host, QStringLiteral("gpu02"));  // what the user typed is kept
            dialog->findChild<QLineEdit *>(QStringLiteral("name"))->setText(QStringLiteral("lab A800 second"));
            dialog->accept();
        });
        buttonNamed(&panel, QStringLiteral("Edit…"))->click();
        QVERIFY2(refusal.contains(QLatin1String("already exists")), qPrintable(refusal));
        QVERIFY(!store->contains(QStringLiteral("lab A800 (copy)")));
        QCOMPARE(store->find(QStringLiteral("lab A800 second"))->host, QStringLiteral("gpu02"));
        QCOMPARE(store->find(QStringLiteral("lab A800"))->host, QStringLiteral("gpu01"));

        // From ~/.ssh/config: the picker lists aliases that are not profiles yet.
        const QString config = m_dir.filePath(QStringLiteral("ssh_config"));
        {
            QFile file(config);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("Host *\n  ServerAliveInterval 20\n"
                       "Host bastion\n  HostName bastion.example.org\n"
                       "Host gpu01 gpu02\n  ProxyJump bastion\n"
                       "Host node-?\n  User pattern\n");
        }
        panel.setSshConfigFile(config);
        QStringList offered;
        answerNext([&offered](QWidget *modal) {
            QCOMPARE(modal->objectName(), QStringLiteral("sshConfigSuggestions"));
            auto *table = modal->findChild<QTableView *>();
            QVERIFY(table);
            for (int row = 0; row < table->model()->rowCount(); ++row)
                offered.append(table->model()->index(row, 0).data().toString());
            QPushButton *add = modal->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
            QVERIFY(!add->isEnabled());  // nothing picked yet
            table->selectRow(offered.indexOf(QStringLiteral("gpu02")));
            QVERIFY(add->isEnabled());
            QVERIFY(saveScreenshot(modal, QStringLiteral("host-profiles-from-ssh-config.png")));
            add->click();
        });
        buttonNamed(&panel, QStringLiteral("From ~/.ssh/config…"))->click();
        QCOMPARE(offered, QStringList({QStringLiteral("bastion"), QStringLiteral("gpu01"), QStringLiteral("gpu02")}));
        QVERIFY2(store->contains(QStringLiteral("gpu02")), qPrintable(panel.statusText()));
        QCOMPARE(store->find(QStringLiteral("gpu02"))->jumps, QStringList({QStringLiteral("bastion")}));
        QCOMPARE(panel.currentName(), QStringLiteral("gpu02"));

        // Use and double-click both hand the profile over.
        QList<rdt::HostProfile> activated;
        connect(&panel, &rdt::HostProfilesPanel::profileActivated, this,
                [&activated](const rdt::HostProfile &p) { activated.append(p); });
        panel.selectProfile(QStringLiteral("lab A800"));
        buttonNamed(&panel, QStringLiteral("Use"))->click();
        QCOMPARE(activated.size(), 1);
        QCOMPARE(activated.first().host, QStringLiteral("gpu01"));
        const int gpu02Row = panel.model()->rowOf(QStringLiteral("gpu02"));
        const QRect cell = panel.view()->visualRect(panel.model()->index(gpu02Row, 0));
        QTest::mouseClick(panel.view()->viewport(), Qt::LeftButton, {}, cell.center());
        QTest::mouseDClick(panel.view()->viewport(), Qt::LeftButton, {}, cell.center());
        QCOMPARE(activated.size(), 2);
        QCOMPARE(activated.last().name, QStringLiteral("gpu02"));

        QVERIFY(saveScreenshot(&panel, QStringLiteral("host-profiles-panel.png")));

        // Delete asks first; Cancel keeps the profile, Yes removes it.
        panel.selectProfile(QStringLiteral("lab A800 second"));
        answerNext([](QWidget *modal) {
            auto *box = qobject_cast<QMessageBox *>(modal);
            QVERIFY(box);
            QVERIFY(box->text().contains(QLatin1String("lab A800 second")));
            box->button(QMessageBox::Cancel)->click();
        });
        buttonNamed(&panel, QStringLiteral("Delete"))->click();
        QVERIFY(store->contains(QStringLiteral("lab A800 second")));
        answerNext([](QWidget *modal) {
            qobject_cast<QMessageBox *>(modal)->button(QMessageBox::Yes)->click();
        });
        buttonNamed(&panel, QStringLiteral("Delete"))->click();
        QVERIFY(!store->contains(QStringLiteral("lab A800 second")));
        QVERIFY(!panel.currentName().isEmpty());  // the selection moved to a neighbour

        // All of it is on disk for the next start.
        rdt::HostProfileStore reread(ini);
        QVERIFY(reread.load());
        QCOMPARE(reread.profiles().size(), 2);
        QVERIFY(reread.profiles() == store->profiles());
    }

    void mainWindowUsesProfile()
    {
        // The window keeps its profiles in the application settings: point those at a
        // throwaway folder.
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.filePath(QStringLiteral("settings")));
        {
            rdt::HostProfileStore store;
            const rdt::Result<void> loaded = store.load();
            QVERIFY2(loaded, qPrintable(loaded.error().message));
            rdt::HostProfile lab = profile(QStringLiteral("lab A800"), QStringLiteral("gpu01"),
                                           {QStringLiteral("bastion"), QStringLiteral("alice@jump2:2222")});
            lab.remoteRoot = QStringLiteral("/data/rdt");
            lab.user = QStringLiteral("rdt");
            lab.localDatasetPath = QStringLiteral("/home/alice/datasets/libero_10.hdf5");
            QVERIFY(store.save(lab));
            QVERIFY(store.save(profile(QStringLiteral("workstation GPU"), QStringLiteral("alice@192.168.1.20"))));
            rdt::HostProfile cluster = profile(QStringLiteral("cluster node 7"), QStringLiteral("node07"),
                                               {QStringLiteral("login.cluster.example.org")});
            cluster.remoteRoot = QStringLiteral("/scratch/alice/RoboticsDiffusionTransformer");
            QVERIFY(store.save(cluster));
        }

        rdt::MainWindow window;
        rdt::WorkbenchController controller(&window);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        rdt::HostProfilesPanel *panel = window.hostProfilesPanel();
        QCOMPARE(panel->model()->rowCount(), 3);
        // The window's own tabs: the one holding the panel (the dashboard has tabs too).
        QTabWidget *tabs = nullptr;
        for (QTabWidget *candidate : window.findChildren<QTabWidget *>())
            if (candidate->indexOf(panel) >= 0)
                tabs = candidate;
        QVERIFY(tabs);
        tabs->setCurrentWidget(panel);
        panel->selectProfile(QStringLiteral("lab A800"));
        QVERIFY(saveScreenshot(&window, QStringLiteral("host-profiles.png")));

        buttonNamed(panel, QStringLiteral("Use"))->click();
        rdt::ConnectionPanel *form = window.connectionPanel();
        QCOMPARE(tabs->currentWidget(), form);
        QCOMPARE(form->host(), QStringLiteral("gpu01"));
        QCOMPARE(form->jumps(), QStringList({QStringLiteral("bastion"), QStringLiteral("alice@jump2:2222")}));
        QCOMPARE(form->remoteRoot(), QStringLiteral("/data/rdt"));
    }
};

QTEST_MAIN(HostProfilesTest)
#include "gui_host_profiles.moc"
