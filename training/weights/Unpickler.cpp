// The pickle virtual machine for torch.save's subset (opcodes from CPython's pickletools).
#include "weights/Unpickler.h"

#include "model/TrainerError.h"

#include <torch/torch.h>

#include <cstring>

namespace rdt {
namespace {

// The opcodes torch.save emits at protocol 2 (and the harmless protocol 4 framing).
enum Opcode : uint8_t {
    kProto = 0x80, kFrame = 0x95, kStop = '.', kMark = '(', kGlobal = 'c', kStackGlobal = 0x93,
    kBinPut = 'q', kLongBinPut = 'r', kMemoize = 0x94, kBinGet = 'h', kLongBinGet = 'j',
    kEmptyTuple = ')', kTuple = 't', kTuple1 = 0x85, kTuple2 = 0x86, kTuple3 = 0x87,
    kEmptyList = ']', kAppend = 'a', kAppends = 'e', kEmptyDict = '}', kSetItem = 's', kSetItems = 'u',
    kBinUnicode = 'X', kShortBinUnicode = 0x8c, kBinString = 'T', kShortBinString = 'U',
    kBinInt = 'J', kBinInt1 = 'K', kBinInt2 = 'M', kLong1 = 0x8a, kBinFloat = 'G',
    kNone = 'N', kNewTrue = 0x88, kNewFalse = 0x89, kBinPersId = 'Q', kReduce = 'R', kBuild = 'b',
};

PickleRef make(PickleValue::Kind kind)
{
    auto v = std::make_shared<PickleValue>();
    v->kind = kind;
    return v;
}

PickleRef makeInt(int64_t value)
{
    PickleRef v = make(PickleValue::Kind::Int);
    v->integer = value;
    return v;
}

PickleRef makeString(std::string text, PickleValue::Kind kind = PickleValue::Kind::String)
{
    PickleRef v = make(kind);
    v->text = std::move(text);
    return v;
}

// The callables and classes a state dict may name; anything else is refused.
constexpr const char *kAllowedGlobals[] = {
    "collections.OrderedDict", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_parameter",
    "torch.FloatStorage", "torch.DoubleStorage", "torch.HalfStorage", "torch.BFloat16Storage",
    "torch.LongStorage", "torch.IntStorage", "torch.ShortStorage", "torch.CharStorage",
    "torch.ByteStorage", "torch.BoolStorage",
};

std::vector<int64_t> intTuple(const PickleRef &value, const char *what, const std::string &where)
{
    if (value->kind != PickleValue::Kind::Tuple)
        throw TrainerError(where + ": tensor " + what + " is not a tuple");
    std::vector<int64_t> result;
    for (const PickleRef &item : value->items) {
        if (item->kind != PickleValue::Kind::Int)
            throw TrainerError(where + ": tensor " + what + " holds a non-integer");
        result.push_back(item->integer);
    }
    return result;
}

} // namespace

const char *PickleValue::kindName(Kind kind)
{
    switch (kind) {
    case Kind::None: return "None";
    case Kind::Bool: return "bool";
    case Kind::Int: return "int";
    case Kind::Float: return "float";
    case Kind::String: return "str";
    case Kind::Tuple: return "tuple";
    case Kind::List: return "list";
    case Kind::Dict: return "dict";
    case Kind::Global: return "global";
    case Kind::Tensor: return "tensor";
    }
    return "?";
}

Unpickler::Unpickler(std::string bytes, std::string where, PersistentLoad persistentLoad)
    : m_bytes(std::move(bytes)), m_where(std::move(where)), m_persistentLoad(std::move(persistentLoad))
{
}

void Unpickler::fail(const std::string &what) const
{
    throw TrainerError(m_where + ": pickle opcode at byte " + std::to_string(m_opPos) + ": " + what);
}

uint8_t Unpickler::byte()
{
    if (m_pos >= m_bytes.size())
        fail("unexpected end of data (truncated?)");
    return static_cast<uint8_t>(m_bytes[m_pos++]);
}

uint64_t Unpickler::littleEndian(int bytes)
{
    uint64_t value = 0;
    for (int i = 0; i < bytes; ++i)
        value |= static_cast<uint64_t>(byte()) << (8 * i);
    return value;
}

std::string Unpickler::take(uint64_t count)
{
    if (count > m_bytes.size() - m_pos)
        fail("unexpected end of data (truncated?)");
    std::string s = m_bytes.substr(m_pos, count);
    m_pos += count;
    return s;
}

std::string Unpickler::line()
{
    const size_t end = m_bytes.find('\n', m_pos);
    if (end == std::string::npos)
        fail("unterminated text line");
    std::string s = m_bytes.substr(m_pos, end - m_pos);
    m_pos = end + 1;
    return s;
}

PickleRef Unpickler::pop()
{
    if (m_stack.empty() || (!m_marks.empty() && m_stack.size() <= m_marks.back()))
        fail("stack underflow");
    PickleRef v = std::move(m_stack.back());
    m_stack.pop_back();
    return v;
}

PickleRef &Unpickler::top()
{
    if (m_stack.empty())
        fail("stack underflow");
    return m_stack.back();
}

std::vector<PickleRef> Unpickler::popToMark()
{
    if (m_marks.empty())
        fail("no MARK on the stack");
    const size_t mark = m_marks.back();
    m_marks.pop_back();
    std::vector<PickleRef> items(m_stack.begin() + static_cast<std::ptrdiff_t>(mark), m_stack.end());
    m_stack.resize(mark);
    return items;
}

PickleRef Unpickler::global(const std::string &module, const std::string &name)
{
    const std::string full = module + "." + name;
    for (const char *allowed : kAllowedGlobals) {
        if (full == allowed)
            return makeString(full, PickleValue::Kind::Global);
    }
    fail("global " + full + " is not part of a state dict of tensors (refused)");
}

PickleRef Unpickler::rebuildTensor(const PickleRef &args)
{
    // _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad,
    //                    backward_hooks[, metadata])
    if (args->kind != PickleValue::Kind::Tuple || args->items.size() < 6 || args->items.size() > 7)
        fail("_rebuild_tensor_v2 expects 6 or 7 arguments");
    const PickleRef &storage = args->items[0];
    if (storage->kind != PickleValue::Kind::Tensor)
        fail("_rebuild_tensor_v2: first argument is not a storage");
    if (args->items[1]->kind != PickleValue::Kind::Int)
        fail("_rebuild_tensor_v2: storage offset is not an integer");
    const int64_t offset = args->items[1]->integer;
    const std::vector<int64_t> size = intTuple(args->items[2], "size", m_where);
    const std::vector<int64_t> stride = intTuple(args->items[3], "stride", m_where);
    if (size.size() != stride.size())
        fail("_rebuild_tensor_v2: size and stride differ in length");
    const PickleRef &hooks = args->items[5];
    if (hooks->kind == PickleValue::Kind::Dict && !hooks->dict.empty())
        fail("_rebuild_tensor_v2: backward hooks are not supported");
    // The furthest element must lie inside the storage.
    int64_t last = offset;
    bool empty = false;
    for (size_t i = 0; i < size.size(); ++i) {
        if (size[i] < 0 || stride[i] < 0)
            fail("_rebuild_tensor_v2: negative size or stride");
        if (size[i] == 0)
            empty = true;
        else
            last += (size[i] - 1) * stride[i];
    }
    const int64_t numel = storage->tensor.numel();
    if (offset < 0 || (!empty && last >= numel))
        fail("_rebuild_tensor_v2: view (offset " + std::to_string(offset) + ") reaches element " +
             std::to_string(last) + " of a storage of " + std::to_string(numel));
    PickleRef v = make(PickleValue::Kind::Tensor);
    v->tensor = empty ? torch::empty(size, storage->tensor.options())
                      : storage->tensor.as_strided(size, stride, offset);
    return v;
}

PickleRef Unpickler::reduce(const PickleRef &callable, const PickleRef &args)
{
    if (callable->kind != PickleValue::Kind::Global)
        fail("REDUCE on a " + std::string(PickleValue::kindName(callable->kind)) + ", not a global");
    if (callable->text == "collections.OrderedDict") {
        if (args->kind != PickleValue::Kind::Tuple || !args->items.empty())
            fail("OrderedDict with constructor arguments is not supported");
        return make(PickleValue::Kind::Dict);
    }
    if (callable->text == "torch._utils._rebuild_tensor_v2")
        return rebuildTensor(args);
    if (callable->text == "torch._utils._rebuild_parameter") {
        // (data, requires_grad, backward_hooks): the tensor itself is what we keep.
        if (args->kind != PickleValue::Kind::Tuple || args->items.size() != 3 ||
            args->items[0]->kind != PickleValue::Kind::Tensor)
            fail("_rebuild_parameter expects (tensor, requires_grad, hooks)");
        return args->items[0];
    }
    fail("REDUCE of " + callable->text + " is not supported");
}

PickleRef Unpickler::load()
{
    using Kind = PickleValue::Kind;
    while (true) {
        m_opPos = m_pos;
        const uint8_t op = byte();
        switch (op) {
        case kProto: {
            const uint8_t protocol = byte();
            if (protocol > 4)
                fail("pickle protocol " + std::to_string(protocol) + " is not supported (2 expected)");
            break;
        }
        case kFrame: littleEndian(8); break;
        case kStop: {
            PickleRef result = pop();
            return result;
        }
        case kMark: m_marks.push_back(m_stack.size()); break;
        case kGlobal: {
            const std::string module = line();
            const std::string name = line();
            m_stack.push_back(global(module, name));
            break;
        }
        case kStackGlobal: {
            const PickleRef name = pop(), module = pop();
            if (name->kind != Kind::String || module->kind != Kind::String)
                fail("STACK_GLOBAL needs two strings");
            m_stack.push_back(global(module->text, name->text));
            break;
        }
        case kBinPut: m_memo[byte()] = top(); break;
        case kLongBinPut: m_memo[littleEndian(4)] = top(); break;
        case kMemoize: m_memo[m_memo.size()] = top(); break;
        case kBinGet:
        case kLongBinGet: {
            const uint64_t index = op == kBinGet ? byte() : littleEndian(4);
            const auto it = m_memo.find(index);
            if (it == m_memo.end())
                fail("memo entry " + std::to_string(index) + " is not set");
            m_stack.push_back(it->second);
            break;
        }
        case kEmptyTuple: m_stack.push_back(make(Kind::Tuple)); break;
        case kTuple: {
            PickleRef t = make(Kind::Tuple);
            t->items = popToMark();
            m_stack.push_back(t);
            break;
        }
        case kTuple1:
        case kTuple2:
        case kTuple3: {
            PickleRef t = make(Kind::Tuple);
            const int n = op - kTuple1 + 1;
            t->items.resize(n);
            for (int i = n - 1; i >= 0; --i)
                t->items[i] = pop();
            m_stack.push_back(t);
            break;
        }
        case kEmptyList: m_stack.push_back(make(Kind::List)); break;
        case kAppend: {
            PickleRef item = pop();
            if (top()->kind != Kind::List)
                fail("APPEND to a non-list");
            top()->items.push_back(item);
            break;
        }
        case kAppends: {
            std::vector<PickleRef> items = popToMark();
            if (top()->kind != Kind::List)
                fail("APPENDS to a non-list");
            top()->items.insert(top()->items.end(), items.begin(), items.end());
            break;
        }
        case kEmptyDict: m_stack.push_back(make(Kind::Dict)); break;
        case kSetItem: {
            PickleRef value = pop(), key = pop();
            if (top()->kind != Kind::Dict)
                fail("SETITEM on a non-dict");
            top()->dict.emplace_back(key, value);
            break;
        }
        case kSetItems: {
            std::vector<PickleRef> items = popToMark();
            if (items.size() % 2 != 0)
                fail("SETITEMS with an odd number of items");
            if (top()->kind != Kind::Dict)
                fail("SETITEMS on a non-dict");
            for (size_t i = 0; i < items.size(); i += 2)
                top()->dict.emplace_back(items[i], items[i + 1]);
            break;
        }
        case kBinUnicode: m_stack.push_back(makeString(take(littleEndian(4)))); break;
        case kShortBinUnicode: m_stack.push_back(makeString(take(byte()))); break;
        case kBinString: m_stack.push_back(makeString(take(littleEndian(4)))); break;
        case kShortBinString: m_stack.push_back(makeString(take(byte()))); break;
        case kBinInt: m_stack.push_back(makeInt(static_cast<int32_t>(littleEndian(4)))); break;
        case kBinInt1: m_stack.push_back(makeInt(byte())); break;
        case kBinInt2: m_stack.push_back(makeInt(static_cast<int64_t>(littleEndian(2)))); break;
        case kLong1: {
            const uint8_t n = byte();
            if (n > 8)
                fail("LONG1 of " + std::to_string(n) + " bytes does not fit 64 bits");
            uint64_t value = n ? littleEndian(n) : 0;
            if (n > 0 && n < 8 && (value >> (8 * n - 1)) & 1)
                value |= ~uint64_t(0) << (8 * n); // sign-extend two's complement
            m_stack.push_back(makeInt(static_cast<int64_t>(value)));
            break;
        }
        case kBinFloat: {
            // Big-endian IEEE double.
            uint64_t bits = 0;
            for (int i = 0; i < 8; ++i)
                bits = (bits << 8) | byte();
            PickleRef v = make(Kind::Float);
            std::memcpy(&v->real, &bits, sizeof bits);
            m_stack.push_back(v);
            break;
        }
        case kNone: m_stack.push_back(make(Kind::None)); break;
        case kNewTrue:
        case kNewFalse: {
            PickleRef v = make(Kind::Bool);
            v->boolean = op == kNewTrue;
            m_stack.push_back(v);
            break;
        }
        case kBinPersId: {
            PickleRef pid = pop();
            m_stack.push_back(m_persistentLoad(pid));
            break;
        }
        case kReduce: {
            PickleRef args = pop(), callable = pop();
            m_stack.push_back(reduce(callable, args));
            break;
        }
        case kBuild: {
            // A state dict's OrderedDict carries its _metadata (module versions) as state;
            // it says nothing about the tensors, so it is accepted and dropped.
            PickleRef state = pop();
            if (top()->kind != Kind::Dict || (state->kind != Kind::Dict && state->kind != Kind::None))
                fail("BUILD of a " + std::string(PickleValue::kindName(top()->kind)) + " is not supported");
            break;
        }
        default: {
            char hex[8];
            std::snprintf(hex, sizeof hex, "0x%02x", op);
            fail(std::string("opcode ") + hex + " is not supported");
        }
        }
    }
}

} // namespace rdt
