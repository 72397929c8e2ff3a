// PNGs rather than the SVG: Qt draws SVG icons only with its SVG plugin, which the workbench
// does not otherwise need.
#include "WorkbenchIcon.h"

namespace rdt {

QList<int> WorkbenchIcon::sizes()
{
    return {16, 22, 24, 32, 48, 64, 128, 256};
}

QIcon WorkbenchIcon::icon()
{
    QIcon icon;
    for (int size : sizes())
        icon.addFile(QStringLiteral(":/rdt/icons/rdt-workbench-%1.png").arg(size), QSize(size, size));
    return icon;
}

} // namespace rdt
