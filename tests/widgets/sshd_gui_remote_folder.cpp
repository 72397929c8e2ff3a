// The remote folder picker on the real jump topology: RemoteFolderDialog lists the GPU
// host's folders through the jump host one level at a time (a folder is asked for only when
// opened), shows sizes and dates, hides dot files until asked, opens a folder whose name
// has spaces and a newline, and returns the picked path byte for byte; a typed path that is
// a file starts at its folder; a name like "$(touch pwned)" runs nothing. The GPU host is a
// network namespace of this machine, so the test makes the server's folders locally.
#include "RemoteFolderDialog.h"
#include "RemoteFolderListing.h"
#include "RemoteFolderModel.h"
#include "RemotePathBrowseButton.h"
#include "support_files.h"
#include "support_ssh_session.h"
#include "support_topology.h"

#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTemporaryDir>
#include <QTreeView>
#include <QtTest>

using namespace rdt;

namespace {

const QString kOdd = QStringLiteral("with space\nand newline");

QModelIndex findRow(QAbstractItemModel *model, const QString &name, const QModelIndex &parent = {})
{
    for (int row = 0; row < model->rowCount(parent); ++row) {
        const QModelIndex index = model->index(row, 0, parent);
        if (index.data(RemoteFolderModel::NameRole).toString() == name)
            return index;
    }
    return {};
}

} // namespace

class RemoteFolderPickerTest : public QObject {
    Q_OBJECT

private:
    Topology m_topo = Topology();
    QTemporaryDir m_work;
    QString m_root;
    std::unique_ptr<SshClient> m_client;

private Q_SLOTS:
    void initTestCase()
    {
        const std::optional<Topology> topo = Topology::fromEnvironment();
        QVERIFY2(topo.has_value(), "run through `tests/sshd/topology run` (ctest does)");
        m_topo = *topo;
        QVERIFY(m_work.isValid());
        m_root = QDir(m_work.path()).canonicalPath() + QStringLiteral("/server");
        const QDir root(m_root);
        for (const QString &name : {kOdd, QStringLiteral("$(touch pwned)"), QStringLiteral(".cache"), QStringLiteral("runs/r1"),
                                    QStringLiteral("datasets")})
            QVERIFY(root.mkpath(name));
        QVERIFY(writeFile(root.filePath(kOdd + QStringLiteral("/scene10.hdf5")), QByteArray(2048, 'h')));
        QVERIFY(writeFile(root.filePath(QStringLiteral("datasets/libero_10.hdf5")), QByteArray(1536, 'd')));
        QVERIFY(writeFile(root.filePath(QStringLiteral("notes.txt")), "notes"));
        Connected c = connectRoute(m_topo.gpuRoute());
        QVERIFY2(c.client, qPrintable(c.error.message));
        m_client = std::move(c.client);
    }

    void browsesLazilyThroughTheJumpHost()
    {
        RemoteFolderListing listing(m_client.get());
        QSignalSpy asked(&listing, &RemoteFolderListing::listed);
        RemoteFolderDialog dialog(&listing, m_root);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QTRY_COMPARE_WITH_TIMEOUT(dialog.model()->rootPath(), m_root, 30000);
        QCOMPARE(asked.count(), 1);   // the root only: nothing below it was opened yet
        QAbstractItemModel *shown = dialog.view()->model();
        // Folders first; the dot folder hidden until asked for.
        QStringList names;
        for (int row = 0; row < shown->rowCount(); ++row)
            names.append(shown->index(row, 0).data(RemoteFolderModel::NameRole).toString());
        QCOMPARE(names, (QStringList{QStringLiteral("$(touch pwned)"), QStringLiteral("datasets"), QStringLiteral("runs"), kOdd,
                                     QStringLiteral("notes.txt")}));
        const QModelIndex notes = findRow(shown, QStringLiteral("notes.txt"));
        QCOMPARE(notes.siblingAtColumn(RemoteFolderModel::SizeColumn).data().toString(), QLocale().formattedDataSize(5));
        QVERIFY(!notes.siblingAtColumn(RemoteFolderModel::ModifiedColumn).data().toString().isEmpty());
        QVERIFY(findRow(shown, kOdd).data().toString().contains(QChar(0x23CE)));   // one line per row
        dialog.findChild<QCheckBox *>()->setChecked(true);
        QVERIFY(findRow(shown, QStringLiteral(".cache")).isValid());
        dialog.findChild<QCheckBox *>()->setChecked(false);
        QVERIFY(!findRow(shown, QStringLiteral(".cache")).isValid());

        // Opening the odd folder asks for it, through the jump host, and shows its file.
        const QModelIndex odd = findRow(shown, kOdd);
        dialog.view()->expand(odd);
        QTRY_COMPARE_WITH_TIMEOUT(shown->rowCount(odd), 1, 30000);
        QCOMPARE(asked.count(), 2);
        QCOMPARE(asked.at(1).at(0).toString(), m_root + QLatin1Char('/') + kOdd);
        const QModelIndex scene = shown->index(0, 0, odd);
        QCOMPARE(scene.data(RemoteFolderModel::NameRole).toString(), QStringLiteral("scene10.hdf5"));
        QCOMPARE(scene.siblingAtColumn(RemoteFolderModel::SizeColumn).data().toString(), QLocale().formattedDataSize(2048));
        dialog.view()->setCurrentIndex(scene);
        QCOMPARE(dialog.selectedPath(), m_root + QLatin1Char('/') + kOdd + QStringLiteral("/scene10.hdf5"));
        // An empty folder opened shows that it is empty, and no name ran as code.
        const QModelIndex hostile = findRow(shown, QStringLiteral("$(touch pwned)"));
        dialog.view()->expand(hostile);
        QTRY_COMPARE_WITH_TIMEOUT(asked.count(), 3, 30000);
        QCOMPARE(shown->rowCount(hostile), 0);
        QVERIFY(!QFileInfo::exists(m_root + QStringLiteral("/pwned")));
        QVERIFY(!QFileInfo::exists(m_root + QStringLiteral("/$(touch pwned)/pwned")));

        dialog.view()->expand(findRow(shown, QStringLiteral("datasets")));
        QTRY_COMPARE_WITH_TIMEOUT(asked.count(), 4, 30000);
        dialog.view()->setCurrentIndex(findRow(shown, QStringLiteral("datasets")));
        QTest::qWait(100);
        QVERIFY(QDir().mkpath(QStringLiteral(RDT_SCREENSHOT_DIR)));
        const QString file = QStringLiteral(RDT_SCREENSHOT_DIR "/remote_folder_picker.png");
        QVERIFY(dialog.grab().save(file));
        qInfo("screenshot: %s", qPrintable(file));
    }

    void aTypedFileStartsAtItsFolderAndAMissingPathAtTheHome()
    {
        RemoteFolderListing listing(m_client.get());
        {
            RemoteFolderDialog dialog(&listing, m_root + QStringLiteral("/notes.txt"));
            QTRY_COMPARE_WITH_TIMEOUT(dialog.model()->rootPath(), m_root, 30000);
            QCOMPARE(dialog.selectedPath(), m_root + QStringLiteral("/notes.txt"));   // the typed path is kept
        }
        RemoteFolderDialog dialog(&listing, QStringLiteral("/no/such/place/at all"));
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.model()->rootPath().isEmpty(), 30000);
        // /no/such/place is not there either: the home it is, and the typed path still kept.
        QVERIFY2(dialog.model()->rootPath() != QLatin1String("/no/such/place"), qPrintable(dialog.model()->rootPath()));
        QCOMPARE(dialog.selectedPath(), QStringLiteral("/no/such/place/at all"));
        dialog.pathLine()->setText(m_root + QLatin1Char('/') + kOdd);
        dialog.goTo(dialog.pathLine()->text());
        QTRY_COMPARE_WITH_TIMEOUT(dialog.model()->rootPath(), m_root + QLatin1Char('/') + kOdd, 30000);
        QCOMPARE(dialog.model()->rowCount(), 1);
    }

    // Browse… beside a server path field opens the picker at the field's text and writes the
    // pick back; without a connection it opens nothing.
    void browseButtonFillsTheField()
    {
        QWidget page;
        auto *field = new QLineEdit(m_root + QStringLiteral("/datasets"), &page);
        SshClient *client = nullptr;
        auto *row = RemotePathBrowseButton::row(field, [&client] { return client; }, &page);
        page.resize(600, 40);
        row->resize(600, 40);
        page.show();
        auto *button = row->findChild<RemotePathBrowseButton *>();
        QVERIFY(button);
        button->click();
        QVERIFY(!button->dialog());
        client = m_client.get();
        button->click();
        QVERIFY(button->dialog());
        RemoteFolderDialog *dialog = button->dialog();
        QTRY_COMPARE_WITH_TIMEOUT(dialog->model()->rootPath(), m_root + QStringLiteral("/datasets"), 30000);
        dialog->view()->setCurrentIndex(dialog->view()->model()->index(0, 0));
        dialog->accept();
        QCOMPARE(field->text(), m_root + QStringLiteral("/datasets/libero_10.hdf5"));
        QTRY_VERIFY(!button->dialog());
    }
};

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    RemoteFolderPickerTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "sshd_gui_remote_folder.moc"
