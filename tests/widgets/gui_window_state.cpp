// The window comes back as it was left: size, splitter positions (a panel dragged shut),
// tabs, the plot's options; a window built with another number of splitters restores none
// of them. The keyboard shortcuts do what they say, and Help > Keyboard shortcuts lists them
// (screenshot).
#include "KeyboardShortcuts.h"
#include "MainWindow.h"
#include "PlotMetric.h"
#include "RunDashboard.h"
#include "RunPlot.h"
#include "RunPlotControls.h"
#include "ShortcutsDialog.h"
#include "WindowState.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QMenuBar>
#include <QSettings>
#include <QSlider>
#include <QSplitter>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>
#include <QtTest>

using namespace rdt;

class WindowStateTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("rdt-test"));
        QCoreApplication::setApplicationName(QStringLiteral("gui_window_state"));
        QSettings().clear();
    }

    void restoresWhatWasLeft()
    {
        QList<int> splitterSizes;
        {
            MainWindow window;
            WindowState::install(&window);   // nothing saved yet: the defaults
            window.resize(1234, 777);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            QSplitter *splitter = window.runDashboard()->findChild<QSplitter *>();
            QVERIFY(splitter && splitter->count() >= 2);
            QList<int> sizes = splitter->sizes();
            sizes[1] += sizes[0] - 1;   // drags the first panel nearly shut
            sizes[0] = 1;
            splitter->setSizes(sizes);
            splitterSizes = splitter->sizes();
            window.runDashboard()->tabs()->setCurrentIndex(1);
            RunPlotControls *controls = window.runDashboard()->plotControls();
            controls->xAxisBox()->setCurrentIndex(2);
            controls->logScaleBox()->setChecked(true);
            controls->smoothingSlider()->setValue(850);
            controls->metricButton(PlotMetric::GradNorm)->setChecked(false);
            window.close();   // saves
        }
        MainWindow again;
        WindowState::install(&again);
        again.show();
        QVERIFY(QTest::qWaitForWindowExposed(&again));
        QCOMPARE(again.size(), QSize(1234, 777));
        QCOMPARE(again.runDashboard()->findChild<QSplitter *>()->sizes(), splitterSizes);
        QCOMPARE(again.runDashboard()->tabs()->currentIndex(), 1);
        RunPlot *plot = again.runDashboard()->plot();
        QCOMPARE(plot->xAxisMode(), XAxisMode::RelativeTime);
        QVERIFY(plot->logScale());
        QCOMPARE(plot->smoothing(), 0.85);
        QVERIFY(!plot->isMetricVisible(PlotMetric::GradNorm));
        QVERIFY(plot->isMetricVisible(PlotMetric::Loss));
    }

    void anotherLayoutRestoresNoSplitters()
    {
        QSettings settings;
        settings.setValue(QStringLiteral("window/splitterCount"), 99);
        MainWindow window;
        const QList<QSplitter *> splitters = window.findChildren<QSplitter *>();
        QList<QByteArray> before;
        for (QSplitter *splitter : splitters)
            before.append(splitter->saveState());
        WindowState state(&window);
        state.restore();
        for (int i = 0; i < splitters.size(); ++i)
            QCOMPARE(splitters[i]->saveState(), before[i]);
        settings.clear();
    }

    void shortcutsWorkAndAreListed()
    {
        MainWindow window;
        const QList<QAction *> actions = KeyboardShortcuts::install(&window);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const auto action = [&](const QKeySequence &keys) -> QAction * {
            for (QAction *a : actions)
                if (a->shortcut() == keys)
                    return a;
            return nullptr;
        };
        QVERIFY(action(QKeySequence(Qt::CTRL | Qt::Key_1)) && action(QKeySequence(Qt::CTRL | Qt::Key_3)));
        QTest::keyClick(&window, Qt::Key_3, Qt::ControlModifier);
        QVERIFY(!window.isShowingWizard());
        QTest::keyClick(&window, Qt::Key_1, Qt::ControlModifier);
        QVERIFY(window.isShowingWizard());
        QTest::keyClick(&window, Qt::Key_3, Qt::ControlModifier);
        const bool logBefore = window.runDashboard()->plot()->logScale();
        QTest::keyClick(&window, Qt::Key_L, Qt::ControlModifier);
        QCOMPARE(window.runDashboard()->plot()->logScale(), !logBefore);

        QMenu *help = nullptr;
        for (QAction *menu : window.menuBar()->actions())
            if (menu->text() == QStringLiteral("&Help"))
                help = menu->menu();
        QVERIFY2(help, "no Help menu");
        QCOMPARE(help->actions().first()->text(), QStringLiteral("Keyboard shortcuts"));

        ShortcutsDialog dialog(actions, &window);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QCOMPARE(dialog.table()->model()->rowCount(), actions.size());
        QCOMPARE(dialog.table()->model()->index(2, 0).data().toString(), QStringLiteral("Show the runs"));
        QCOMPARE(dialog.table()->model()->index(2, 1).data().toString(), QStringLiteral("Ctrl+3"));
        QDir().mkpath(QStringLiteral(RDT_SCREENSHOT_DIR));
        QVERIFY(dialog.grab().save(QStringLiteral(RDT_SCREENSHOT_DIR "/keyboard-shortcuts.png")));
    }
};

QTEST_MAIN(WindowStateTest)
#include "gui_window_state.moc"
