// rdt-workbench: the desktop program. It opens on the setup wizard; `--sandbox` starts the
// local sandbox at once (two throwaway SSH servers, a small dataset and model), so a first
// try needs no GPU server.
#include "DesktopColorScheme.h"
#include "MainWindow.h"
#include "MediaBackend.h"
#include "QuitSignals.h"
#include "WorkbenchController.h"
#include "WorkbenchIcon.h"

#include <QApplication>
#include <QCommandLineParser>

int main(int argc, char **argv)
{
    rdt::preferFfmpegMediaBackend();   // before the application object: see MediaBackend.h
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("RDT Workbench"));
    QApplication::setApplicationName(QStringLiteral("rdt-workbench"));
    QApplication::setApplicationVersion(QStringLiteral(RDT_VERSION));
    // The desktop entry (resources/rdt-workbench.desktop) and the icon it names.
    QApplication::setDesktopFileName(QStringLiteral("rdt-workbench"));
    QApplication::setWindowIcon(rdt::WorkbenchIcon::icon());

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Fine-tune RDT on a GPU server behind a jump host."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption sandbox(QStringLiteral("sandbox"),
                                     QStringLiteral("Start a local sandbox (two throwaway SSH servers, a small dataset "
                                                    "and model) and set the wizard up for it."));
    parser.addOption(sandbox);
    parser.process(app);

    rdt::QuitSignals quitSignals;   // Ctrl+C or a logout quits cleanly: the sandbox keeps a live run's files
    rdt::DesktopColorScheme::install();   // before the window: its widgets start in the desktop's scheme
    rdt::MainWindow window;
    rdt::WorkbenchController controller(&window);
    window.show();
    if (parser.isSet(sandbox))
        controller.startSandbox();
    else
        controller.restoreLastConnection();   // the dashboard comes back on its runs
    return app.exec();
}
