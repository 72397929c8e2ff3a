// Reads a build's output as it streams in: the progress Ninja ("[12/80] ...") and
// CMake's Makefiles ("[ 15%] ...") print before each step, and the line that says what
// went wrong (the compiler's or linker's first error, or CMake's), for a one-line failure
// message.
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace rdt {

class BuildOutputReader {
public:
    // Paths under `folder` are shown relative to it as `shownAs`/..., so an error names
    // "training/model/Rdt.cpp:12:3" rather than the build's folder on the server.
    void setSourceFolder(const QString &folder, const QString &shownAs);

    // Output as it arrives; lines may be split across chunks. Returns true when the
    // progress changed.
    bool feed(const QByteArray &chunk);
    void finish();   // the last line, if it had no line break

    int stepsDone() const { return m_done; }
    int stepsTotal() const { return m_total; }   // 100 for Makefiles (percent); 0: none yet
    QString lastStep() const { return m_lastStep; }   // "Building CXX object ..." of the newest line
    QString firstError() const { return m_firstError; }   // empty: none seen
    QString fallbackError() const;   // when no error line: Ninja's FAILED or make's *** line, else the last line
    // CMake's first "CMake Error at FILE:LINE (command):" with the first sentence of the
    // indented message under it, on one line; empty: none seen.
    QString cmakeError() const;

private:
    bool readLine(const QByteArray &line);
    QString shortened(const QString &line) const;

    QByteArray m_pending;
    QString m_sourceFolder;
    QString m_shownAs;
    int m_done = 0;
    int m_total = 0;
    QString m_lastStep;
    QString m_firstError;
    QString m_failedLine;
    QString m_lastLine;
    QString m_cmakeErrorHeader;
    QStringList m_cmakeErrorBody;
    bool m_inCmakeError = false;
};

} // namespace rdt
