// FFmpeg 5.1's send/receive API: RGB24 -> swscale -> yuv420p -> libx264 -> MP4 muxer. Each
// FFmpeg context has one owner (a unique_ptr with its deleter), released in reverse order.
#include "video/VideoEncoder.h"

#include "model/TrainerError.h"

#ifdef RDT_WITH_FFMPEG
extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/error.h>
#include <libavutil/log.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>
}
#endif

namespace rdt {

#ifdef RDT_WITH_FFMPEG
namespace {

// x264's speed/size trade-off: ultrafast encodes a 768x658 episode frame in ~5 ms of one
// core (bench/eval_throughput: ~10x real time at 20 fps; veryfast was ~5.5x), at about
// 1 MB per 10 s of video, which is small beside the run's checkpoints.
constexpr const char *kX264Preset = "ultrafast";
constexpr const char *kX264Crf = "23";

std::string avError(int code)
{
    char text[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(code, text, sizeof text);
    return text;
}

struct FormatContextDeleter {
    void operator()(AVFormatContext *context) const noexcept
    {
        if (context->pb)
            avio_closep(&context->pb);
        avformat_free_context(context);
    }
};
struct CodecContextDeleter {
    void operator()(AVCodecContext *context) const noexcept { avcodec_free_context(&context); }
};
struct FrameDeleter {
    void operator()(AVFrame *frame) const noexcept { av_frame_free(&frame); }
};
struct PacketDeleter {
    void operator()(AVPacket *packet) const noexcept { av_packet_free(&packet); }
};
struct ScaleContextDeleter {
    void operator()(SwsContext *context) const noexcept { sws_freeContext(context); }
};

} // namespace

struct VideoEncoder::Impl {
    std::string path;
    int width = 0;
    int height = 0;
    int64_t frames = 0;
    bool finished = false;
    AVStream *stream = nullptr; // owned by format
    // Declared in the order they are built; destroyed in reverse.
    std::unique_ptr<AVFormatContext, FormatContextDeleter> format;
    std::unique_ptr<AVCodecContext, CodecContextDeleter> codec;
    std::unique_ptr<SwsContext, ScaleContextDeleter> scale;
    std::unique_ptr<AVFrame, FrameDeleter> frame;
    std::unique_ptr<AVPacket, PacketDeleter> packet;

    [[noreturn]] void fail(const std::string &what, int code) const
    {
        throw TrainerError("video " + path + ": " + what + ": " + avError(code));
    }

    // Sends frame (nullptr: flush) and writes every packet the encoder hands back.
    void encode(AVFrame *input)
    {
        int rc = avcodec_send_frame(codec.get(), input);
        if (rc < 0)
            fail("encode frame " + std::to_string(frames), rc);
        while (true) {
            rc = avcodec_receive_packet(codec.get(), packet.get());
            if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF)
                return;
            if (rc < 0)
                fail("encode frame " + std::to_string(frames), rc);
            av_packet_rescale_ts(packet.get(), codec->time_base, stream->time_base);
            packet->stream_index = stream->index;
            rc = av_interleaved_write_frame(format.get(), packet.get()); // unrefs the packet
            if (rc < 0)
                fail("write frame " + std::to_string(frames), rc);
            if (format->pb && format->pb->error < 0)
                fail("write frame " + std::to_string(frames), format->pb->error);
        }
    }
};

bool VideoEncoder::available()
{
    return avcodec_find_encoder(AV_CODEC_ID_H264) != nullptr;
}

std::string VideoEncoder::unavailableReason()
{
    return available() ? "" : "this FFmpeg has no H.264 encoder (libx264)";
}

VideoEncoder::VideoEncoder(const std::string &path, int width, int height, int fps, int threads)
    : m_impl(std::make_unique<Impl>())
{
    // libx264 prints its statistics per file; errors come back as return codes instead.
    av_log_set_level(AV_LOG_ERROR);
    Impl &d = *m_impl;
    d.path = path;
    d.width = width;
    d.height = height;
    if (width % 2 || height % 2 || width <= 0 || height <= 0)
        throw TrainerError("video " + path + ": " + std::to_string(width) + "x" + std::to_string(height) +
                           " is not an even size (yuv420p needs one)");
    const AVCodec *h264 = avcodec_find_encoder(AV_CODEC_ID_H264);
    if (!h264)
        throw TrainerError("video " + path + ": " + unavailableReason());

    AVFormatContext *format = nullptr;
    int rc = avformat_alloc_output_context2(&format, nullptr, "mp4", path.c_str());
    if (rc < 0 || !format)
        d.fail("create the MP4 muxer", rc);
    d.format.reset(format);
    d.stream = avformat_new_stream(format, nullptr);
    if (!d.stream)
        d.fail("add a video stream", AVERROR(ENOMEM));

    d.codec.reset(avcodec_alloc_context3(h264));
    if (!d.codec)
        d.fail("allocate the H.264 encoder", AVERROR(ENOMEM));
    AVCodecContext *c = d.codec.get();
    c->width = width;
    c->height = height;
    c->pix_fmt = AV_PIX_FMT_YUV420P;
    c->time_base = AVRational{1, fps};
    c->framerate = AVRational{fps, 1};
    c->gop_size = fps * 2;
    c->thread_count = threads;
    if (format->oformat->flags & AVFMT_GLOBALHEADER)
        c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    av_opt_set(c->priv_data, "preset", kX264Preset, 0);
    av_opt_set(c->priv_data, "crf", kX264Crf, 0);
    if ((rc = avcodec_open2(c, h264, nullptr)) < 0)
        d.fail("open the H.264 encoder", rc);
    if ((rc = avcodec_parameters_from_context(d.stream->codecpar, c)) < 0)
        d.fail("set the stream parameters", rc);
    d.stream->time_base = c->time_base;
    d.stream->avg_frame_rate = c->framerate;

    d.frame.reset(av_frame_alloc());
    d.packet.reset(av_packet_alloc());
    if (!d.frame || !d.packet)
        d.fail("allocate a frame", AVERROR(ENOMEM));
    d.frame->format = c->pix_fmt;
    d.frame->width = width;
    d.frame->height = height;
    if ((rc = av_frame_get_buffer(d.frame.get(), 0)) < 0)
        d.fail("allocate a frame", rc);
    d.scale.reset(sws_getContext(width, height, AV_PIX_FMT_RGB24, width, height, AV_PIX_FMT_YUV420P, SWS_BILINEAR,
                                 nullptr, nullptr, nullptr));
    if (!d.scale)
        d.fail("create the RGB to YUV converter", AVERROR(EINVAL));

    if ((rc = avio_open(&format->pb, path.c_str(), AVIO_FLAG_WRITE)) < 0)
        d.fail("create the file", rc);
    if ((rc = avformat_write_header(format, nullptr)) < 0)
        d.fail("write the MP4 header", rc);
}

VideoEncoder::~VideoEncoder() = default;

void VideoEncoder::writeFrame(const uint8_t *rgb)
{
    Impl &d = *m_impl;
    int rc = av_frame_make_writable(d.frame.get());
    if (rc < 0)
        d.fail("frame " + std::to_string(d.frames), rc);
    const uint8_t *source[1] = {rgb};
    const int stride[1] = {d.width * 3};
    sws_scale(d.scale.get(), source, stride, 0, d.height, d.frame->data, d.frame->linesize);
    d.frame->pts = d.frames;
    d.encode(d.frame.get());
    ++d.frames;
}

void VideoEncoder::finish()
{
    Impl &d = *m_impl;
    if (d.finished)
        return;
    d.encode(nullptr);
    int rc = av_write_trailer(d.format.get());
    if (rc < 0)
        d.fail("write the MP4 trailer", rc);
    if (d.format->pb && d.format->pb->error < 0)
        d.fail("write the MP4 trailer", d.format->pb->error);
    rc = avio_closep(&d.format->pb);
    if (rc < 0)
        d.fail("close the file", rc);
    d.finished = true;
}

int64_t VideoEncoder::framesWritten() const
{
    return m_impl->frames;
}

#else // no FFmpeg in this build

struct VideoEncoder::Impl {};

bool VideoEncoder::available()
{
    return false;
}

std::string VideoEncoder::unavailableReason()
{
    return "this rdt-trainer was built without FFmpeg (pkg-config found no libavformat, libavcodec, "
           "libswscale): install libavformat-dev libavcodec-dev libswscale-dev and rebuild for --record_video";
}

VideoEncoder::VideoEncoder(const std::string &path, int, int, int, int)
{
    throw TrainerError("video " + path + ": " + unavailableReason());
}

VideoEncoder::~VideoEncoder() = default;

void VideoEncoder::writeFrame(const uint8_t *) {}

void VideoEncoder::finish() {}

int64_t VideoEncoder::framesWritten() const
{
    return 0;
}

#endif

} // namespace rdt
