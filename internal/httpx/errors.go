package httpx

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/url"
	"strings"
	"unicode/utf8"
)

// IsDialError reports whether err happened while connecting, before any
// byte of the request was written (so a write surely did not land).
func IsDialError(err error) bool {
	if IsCertificateError(err) {
		return true // the handshake failed: no request was sent
	}
	var op *net.OpError
	if errors.As(err, &op) && (op.Op == "dial" || op.Op == "proxyconnect") {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns)
}

// IsCertificateError reports a TLS verification failure, which no retry
// can mend.
func IsCertificateError(err error) bool {
	var verify *tls.CertificateVerificationError
	var unknown x509.UnknownAuthorityError
	var host x509.HostnameError
	var invalid x509.CertificateInvalidError
	return errors.As(err, &verify) || errors.As(err, &unknown) || errors.As(err, &host) || errors.As(err, &invalid)
}

// StripURLError drops *url.Error's "Get \"url\":" prefix (the caller names
// method and path itself) but keeps the cause.
func StripURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// Snippet returns the start of a non-JSON error body as one line of text.
func Snippet(body []byte) string {
	s := strings.Join(strings.Fields(string(body)), " ")
	const max = 200
	if len(s) > max {
		s = s[:max]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
		s += "…"
	}
	return s
}

// ambiguousError marks a write whose outcome is unknown.
type ambiguousError struct{ err error }

func (e *ambiguousError) Error() string {
	return e.err.Error() + " (outcome unknown: the server may have applied it)"
}
func (e *ambiguousError) Unwrap() error { return e.err }

// Ambiguous marks err as the failure of a write whose outcome is unknown:
// a timeout, a dropped connection or a 5xx after which the server may
// have applied it.
func Ambiguous(err error) error { return &ambiguousError{err: err} }

// IsAmbiguous reports whether err, or an error it wraps, was marked by
// Ambiguous.
func IsAmbiguous(err error) bool {
	var a *ambiguousError
	return errors.As(err, &a)
}
