// rdt-workbench: the desktop program. For now the main window connects through jump
// hosts and checks the server; the setup wizard, sync, training and eval views follow.
#include "MainWindow.h"
#include "WorkbenchController.h"

#include <QApplication>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("RDT Workbench"));
    QApplication::setApplicationName(QStringLiteral("rdt-workbench"));
    QApplication::setApplicationVersion(QStringLiteral(RDT_VERSION));

    rdt::MainWindow window;
    rdt::WorkbenchController controller(&window);
    window.show();
    return app.exec();
}
