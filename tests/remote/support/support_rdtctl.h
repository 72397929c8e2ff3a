// Runs the rdtctl binary as a user would, for the tests that drive the command line:
// a home of the caller's choosing (so caches never touch the real one), no standard
// input, and a bounded wait.
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

struct CliRun {
    int exitCode = -1;   // -1: crashed or killed after the wait
    QByteArray out;
    QByteArray err;
};

CliRun runRdtctl(const QStringList &arguments, const QString &home, int waitMs = 120000);
