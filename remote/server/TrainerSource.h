// The trainer's source as this workbench carries it: the gzipped tar of training/ that the
// build packs and embeds (cmake/PackTrainerSource.cmake), and its stamp, which says which
// version a trainer built from it reports and a digest of its files.
#pragma once

#include "Result.h"

#include <QByteArray>
#include <QString>

namespace rdt {

struct TrainerSourceStamp {
    QString version;      // what `rdt-trainer info --json` of a build from it reports
    QString minimumCmake; // the oldest CMake that configures it ("3.25")
    QString sha256;       // of the packed files' names and contents
    int files = 0;

    // The stamp's text ("version V\ncmake C\nsha256 HEX\nfiles N\n"); an error names what is missing.
    [[nodiscard]] static Result<TrainerSourceStamp> parse(const QByteArray &text);
    QByteArray text() const;
};

class TrainerSource {
public:
    // The embedded archive and stamp (":/rdt/trainer/...").
    [[nodiscard]] static Result<TrainerSource> embedded();
    // Another source in the same form (a gzipped tar with CMakeLists.txt at its top that
    // builds a target rdt-trainer), e.g. a test's deliberately broken one.
    static TrainerSource fromArchive(const TrainerSourceStamp &stamp, const QByteArray &archive);

    const TrainerSourceStamp &stamp() const { return m_stamp; }
    const QByteArray &archive() const { return m_archive; }

    // The archive's name on the server, with the version in it for whoever looks there.
    QString archiveFileName() const;

private:
    TrainerSourceStamp m_stamp;
    QByteArray m_archive;
};

} // namespace rdt
