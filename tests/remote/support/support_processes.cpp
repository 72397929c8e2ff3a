// Reads /proc/<pid>/cmdline of every process.
#include "support_processes.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>

namespace {

// Whether any process's argument list (NUL-separated) satisfies `matches`.
template <typename Predicate>
bool anyCommandLine(Predicate matches)
{
    QDirIterator it(QStringLiteral("/proc"), QDir::Dirs | QDir::NoDotAndDotDot);
    while (it.hasNext()) {
        QFile cmdline(it.next() + QStringLiteral("/cmdline"));
        if (cmdline.open(QIODevice::ReadOnly) && matches(cmdline.readAll()))
            return true;
    }
    return false;
}

} // namespace

bool processWithArgument(const QByteArray &argument)
{
    return anyCommandLine([&](const QByteArray &line) { return line.split('\0').contains(argument); });
}

bool processMentioning(const QByteArray &text)
{
    return anyCommandLine([&](const QByteArray &line) { return line.contains(text); });
}
