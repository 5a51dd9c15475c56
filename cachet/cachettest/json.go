package cachettest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"math"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"
)

// jw appends JSON to a byte slice the way PHP's json_encode writes it ("/"
// escaped as "\/", non-ASCII as \uXXXX). It is much faster than reflection
// for the large pages the emulator serves.
type jw struct {
	b     []byte
	comma bool
	// fields holds the sparse fieldsets of a 3.x request by resource
	// type (see writeAttributes); nil writes every attribute.
	fields map[string][]string
}

func (w *jw) sep() {
	if w.comma {
		w.b = append(w.b, ',')
	}
	w.comma = false
}

func (w *jw) obj() { w.sep(); w.b = append(w.b, '{') }
func (w *jw) arr() { w.sep(); w.b = append(w.b, '[') }

func (w *jw) endObj() { w.b = append(w.b, '}'); w.comma = true }
func (w *jw) endArr() { w.b = append(w.b, ']'); w.comma = true }

func (w *jw) key(k string) {
	w.sep()
	w.b = appendString(w.b, k)
	w.b = append(w.b, ':')
}

func (w *jw) str(s string) { w.sep(); w.b = appendString(w.b, s); w.comma = true }
func (w *jw) int(n int)    { w.sep(); w.b = strconv.AppendInt(w.b, int64(n), 10); w.comma = true }
func (w *jw) null()        { w.sep(); w.b = append(w.b, "null"...); w.comma = true }
func (w *jw) float(f float64) {
	w.sep()
	if math.IsInf(f, 0) || math.IsNaN(f) {
		f = 0
	}
	w.b = strconv.AppendFloat(w.b, f, 'f', -1, 64)
	w.comma = true
}

func (w *jw) bool(v bool) {
	w.sep()
	if v {
		w.b = append(w.b, "true"...)
	} else {
		w.b = append(w.b, "false"...)
	}
	w.comma = true
}

// raw writes already-encoded JSON.
func (w *jw) raw(b []byte) { w.sep(); w.b = append(w.b, b...); w.comma = true }

func (w *jw) kstr(k, v string)       { w.key(k); w.str(v) }
func (w *jw) kint(k string, v int)   { w.key(k); w.int(v) }
func (w *jw) kbool(k string, v bool) { w.key(k); w.bool(v) }
func (w *jw) knull(k string)         { w.key(k); w.null() }

// ktime writes a "Y-m-d H:i:s" timestamp rendered in loc.
func (w *jw) ktime(k string, t time.Time, loc *time.Location) {
	w.key(k)
	w.str(t.In(loc).Format(dateTime))
}

// kintOrNull writes n, or null when n is 0.
func (w *jw) kintOrNull(k string, n int) {
	w.key(k)
	if n == 0 {
		w.null()
	} else {
		w.int(n)
	}
}

// value writes a decoded JSON value as PHP re-encodes a decoded array: an
// empty object becomes [] and object keys are sorted.
func (w *jw) value(v any) {
	switch v := v.(type) {
	case nil:
		w.null()
	case bool:
		w.bool(v)
	case string:
		w.str(v)
	case int:
		w.int(v)
	case float64:
		w.float(v)
	case json.Number:
		w.raw([]byte(v))
	case []any:
		w.arr()
		for _, x := range v {
			w.value(x)
		}
		w.endArr()
	case map[string]any:
		if len(v) == 0 {
			w.arr()
			w.endArr()
			return
		}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		w.obj()
		for _, k := range keys {
			w.key(k)
			w.value(v[k])
		}
		w.endObj()
	default:
		w.null()
	}
}

const hexDigits = "0123456789abcdef"

// safeASCII marks the bytes PHP's json_encode writes unescaped.
var safeASCII = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '/'
	}
	return t
}()

func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf && safeASCII[c] {
			i++
			continue
		}
		b = append(b, s[start:i]...)
		if c < utf8.RuneSelf {
			switch c {
			case '"', '\\', '/':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		start = i
		if r > 0xffff {
			r -= 0x10000
			b = appendU(b, 0xd800+(r>>10))
			b = appendU(b, 0xdc00+(r&0x3ff))
			continue
		}
		b = appendU(b, r)
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

func appendU(b []byte, r rune) []byte {
	return append(b, '\\', 'u', hexDigits[r>>12&0xf], hexDigits[r>>8&0xf], hexDigits[r>>4&0xf], hexDigits[r&0xf])
}

const dateTime = "2006-01-02 15:04:05"

// resp is a handler's answer.
type resp struct {
	status int
	body   []byte
	header http.Header
	html   bool
	ctype  string // Content-Type of a JSON answer when not application/json
	pooled bool   // body came from bufPool
}

// bufPool recycles the buffers of large list responses.
var bufPool = sync.Pool{New: func() any { return new([]byte) }}

func getBuf() []byte { return (*bufPool.Get().(*[]byte))[:0] }

// release returns a pooled body to the pool; r must not be used after.
func (r resp) release() {
	if r.pooled && cap(r.body) <= 8<<20 {
		b := r.body[:0]
		bufPool.Put(&b)
	}
}

// dataResp wraps the object written by fn in {"data": ...}.
func dataResp(fn func(w *jw)) resp {
	w := &jw{b: make([]byte, 0, 512)}
	w.obj()
	w.key("data")
	fn(w)
	w.endObj()
	return resp{status: http.StatusOK, body: w.b}
}

// Standard error details (graham-campbell/exceptions resources/errors.json).
var errorDetails = map[int]string{
	400: "The request cannot be fulfilled due to bad syntax.",
	401: "Authentication is required and has failed or has not yet been provided.",
	404: "The requested resource could not be found but may be available again in the future.",
	405: "A request was made of a resource using a request method not supported by that resource.",
	406: "The requested resource is only capable of generating content not acceptable according to the Accept headers sent in the request.",
	429: "The user has sent too many requests in a given amount of time.",
	500: "An error has occurred and this resource cannot be displayed.",
	502: "The server was acting as a gateway or proxy and received an invalid response from the upstream server.",
	503: "The server is currently unavailable. It may be overloaded or down for maintenance.",
}

// errResp builds Cachet's JSON error envelope. An empty detail uses the
// standard text; details (validation messages) go to meta.details.
func errResp(status int, detail string, details ...string) resp {
	if len(detail) <= 4 {
		detail = errorDetails[status]
	}
	w := &jw{}
	w.obj()
	w.key("errors")
	w.arr()
	w.obj()
	w.kstr("id", uuid4())
	w.kint("status", status)
	w.kstr("title", http.StatusText(status))
	w.kstr("detail", detail)
	if len(details) > 0 {
		w.key("meta")
		w.obj()
		w.key("details")
		w.arr()
		for _, d := range details {
			w.str(d)
		}
		w.endArr()
		w.endObj()
	}
	w.endObj()
	w.endArr()
	w.endObj()
	return resp{status: status, body: w.b}
}

func validationErr(details []string) resp { return errResp(400, "", details...) }

func uuid4() string {
	var u [16]byte
	_, _ = rand.Read(u[:])
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	h := hex.EncodeToString(u[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// htmlError is the page Cachet's HtmlDisplayer renders when the client does
// not accept JSON.
func htmlError(status int) resp {
	text := http.StatusText(status)
	body := "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"UTF-8\">\n<title>" + text + "</title>\n</head>\n<body>\n<h1>" +
		strconv.Itoa(status) + " " + text + "</h1>\n<p>" + errorDetails[status] + "</p>\n</body>\n</html>\n"
	return resp{status: status, body: []byte(body), html: true}
}

func (r resp) write(w http.ResponseWriter) {
	h := w.Header()
	for k, v := range r.header {
		h[k] = v
	}
	if r.status == http.StatusNoContent {
		w.WriteHeader(r.status)
		return
	}
	if r.html {
		h.Set("Content-Type", "text/html; charset=UTF-8")
	} else if r.ctype != "" {
		h.Set("Content-Type", r.ctype)
	} else {
		h.Set("Content-Type", "application/json")
	}
	h.Set("Content-Length", strconv.Itoa(len(r.body)))
	w.WriteHeader(r.status)
	_, _ = w.Write(r.body)
}
