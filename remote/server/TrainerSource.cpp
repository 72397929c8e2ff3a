// Reading the embedded trainer source. The resource is compiled into rdt_remote
// (remote/CMakeLists.txt), so a missing one is a broken build, reported as such.
#include "TrainerSource.h"

#include <QFile>

namespace rdt {
namespace {

constexpr char kArchiveResource[] = ":/rdt/trainer/rdt-trainer-source.tar.gz";
constexpr char kStampResource[] = ":/rdt/trainer/rdt-trainer-source.stamp";

Result<QByteArray> readResource(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::LocalIo, QStringLiteral("the trainer's source is not in this build (%1: %2)")
                                                 .arg(path, file.errorString()));
    return file.readAll();
}

} // namespace

Result<TrainerSourceStamp> TrainerSourceStamp::parse(const QByteArray &text)
{
    TrainerSourceStamp stamp;
    for (const QByteArray &line : text.split('\n')) {
        const qsizetype space = line.indexOf(' ');
        if (space <= 0)
            continue;
        const QByteArray key = line.left(space);
        const QString value = QString::fromUtf8(line.mid(space + 1).trimmed());
        if (key == "version")
            stamp.version = value;
        else if (key == "cmake")
            stamp.minimumCmake = value;
        else if (key == "sha256")
            stamp.sha256 = value;
        else if (key == "files")
            stamp.files = value.toInt();
    }
    if (stamp.version.isEmpty() || stamp.sha256.isEmpty())
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("trainer source stamp: no %1 line")
                             .arg(stamp.version.isEmpty() ? QStringLiteral("version") : QStringLiteral("sha256")));
    return stamp;
}

QByteArray TrainerSourceStamp::text() const
{
    return QStringLiteral("version %1\ncmake %2\nsha256 %3\nfiles %4\n").arg(version, minimumCmake, sha256).arg(files).toUtf8();
}

Result<TrainerSource> TrainerSource::embedded()
{
    Result<QByteArray> stampText = readResource(QString::fromLatin1(kStampResource));
    if (!stampText)
        return stampText.error();
    Result<TrainerSourceStamp> stamp = TrainerSourceStamp::parse(*stampText);
    if (!stamp)
        return stamp.error();
    Result<QByteArray> archive = readResource(QString::fromLatin1(kArchiveResource));
    if (!archive)
        return archive.error();
    TrainerSource source;
    source.m_stamp = *stamp;
    source.m_archive = std::move(archive).value();
    return source;
}

TrainerSource TrainerSource::fromArchive(const TrainerSourceStamp &stamp, const QByteArray &archive)
{
    TrainerSource source;
    source.m_stamp = stamp;
    source.m_archive = archive;
    return source;
}

QString TrainerSource::archiveFileName() const
{
    return QStringLiteral("rdt-trainer-source-%1.tar.gz").arg(m_stamp.version);
}

} // namespace rdt
