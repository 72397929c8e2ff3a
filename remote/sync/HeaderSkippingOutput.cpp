// The output is looked at only until the header: after it every byte goes straight
// through, so a 1 GB download costs one comparison per write call.
#include "HeaderSkippingOutput.h"

#include "ScriptAnswer.h"

namespace rdt {

namespace {

// A banner longer than this is not a banner: the header is not coming.
constexpr qsizetype kMaxBeforeHeader = 64 * 1024;

} // namespace

HeaderSkippingOutput::HeaderSkippingOutput(QByteArray tag, std::shared_ptr<CommandOutput> inner)
    : m_tag(std::move(tag)), m_inner(std::move(inner))
{
}

bool HeaderSkippingOutput::write(const char *data, qint64 size)
{
    if (m_seen)
        return m_inner->write(data, size);
    m_before.append(data, size);
    if (const std::optional<QByteArray> rest = ScriptAnswer::after(m_before, m_tag)) {
        m_seen = true;
        m_before.clear();
        return rest->isEmpty() || m_inner->write(rest->constData(), rest->size());
    }
    if (m_before.size() > kMaxBeforeHeader) {
        m_error = QStringLiteral("the server printed %1 bytes without the transfer's header line; its login shell "
                                 "prints too much, or the command did not run")
                      .arg(m_before.size());
        return false;
    }
    return true;
}

QString HeaderSkippingOutput::errorString() const
{
    return m_error.isEmpty() ? m_inner->errorString() : m_error;
}

} // namespace rdt
