package cachettest

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// createFromFormat parses s like PHP's DateTime::createFromFormat($format,
// $s, $loc) as Carbon wraps it (Carbon::createFromFormat throws an
// InvalidArgumentException whose message is the parser's errors joined by
// newlines). It is a port of the part of timelib's parse_from_format
// (parse_date.re, timelib 2018.01 as bundled with PHP 7.3) that Cachet's
// formats use: Y, m/n, d/j, H/G, i, the separators ;:/.,-() and spaces.
//
// Two consequences matter to clients: numbers need not be padded
// ("2030-1-1 1:00" is accepted), and out-of-range values overflow instead of
// failing ("2030-02-31 10:00" is 3 March; "25:00" is the next day). Seconds
// are not in the format, and because an hour or minute was parsed timelib
// sets them to 0 ("clean up a bit"), not to the current time.
func createFromFormat(format, s string, loc *time.Location) (time.Time, string) {
	type perr struct {
		pos int
		msg string
	}
	var errs []perr
	addErr := func(pos int, msg string) {
		for i := range errs {
			if errs[i].pos == pos { // PHP keys the errors by position
				errs[i].msg = msg
				return
			}
		}
		errs = append(errs, perr{pos, msg})
	}
	isDigit := func(c byte) bool { return c >= '0' && c <= '9' }
	ptr := 0
	// getNr is timelib_get_nr_ex: skip anything that is not a digit, then
	// read at most max digits.
	getNr := func(max int) (n, length int, ok bool) {
		for ptr < len(s) && !isDigit(s[ptr]) {
			ptr++
		}
		if ptr == len(s) {
			return 0, 0, false
		}
		start := ptr
		for ptr < len(s) && isDigit(s[ptr]) && ptr-start < max {
			ptr++
		}
		n, _ = strconv.Atoi(s[start:ptr])
		return n, ptr - start, true
	}
	var y, mo, d, h, mi int
	fptr := 0
	for fptr < len(format) && ptr < len(s) {
		begin := ptr
		checkNumber := func() {
			if !isDigit(s[ptr]) {
				addErr(begin, "Unexpected data found.")
			}
		}
		number := func(dst *int, max int, msg string) {
			checkNumber()
			n, _, ok := getNr(max)
			if !ok {
				addErr(begin, msg)
				return
			}
			*dst = n
		}
		switch f := format[fptr]; f {
		case 'Y':
			number(&y, 4, "A four digit year could not be found")
		case 'm', 'n':
			number(&mo, 2, "A two digit month could not be found")
		case 'd', 'j':
			number(&d, 2, "A two digit day could not be found")
		case 'H', 'G':
			number(&h, 2, "A two digit hour could not be found")
		case 'i':
			checkNumber()
			n, length, ok := getNr(2)
			if !ok || length != 2 {
				addErr(begin, "A two digit minute could not be found")
			} else {
				mi = n
			}
		case ';', ':', '/', '.', ',', '-', '(', ')':
			if s[ptr] == f {
				ptr++
			} else {
				addErr(begin, "The separation symbol could not be found")
			}
		case ' ':
			for ptr < len(s) && (s[ptr] == ' ' || s[ptr] == '\t') {
				ptr++
			}
		default:
			if s[ptr] != f {
				addErr(begin, "The format separator does not match")
			}
			ptr++
		}
		fptr++
	}
	if ptr < len(s) {
		addErr(ptr, "Trailing data")
	}
	if fptr < len(format) {
		addErr(ptr, "Data missing")
	}
	if len(errs) > 0 {
		msgs := make([]string, len(errs))
		for i, e := range errs {
			msgs[i] = e.msg
		}
		return time.Time{}, strings.Join(msgs, "\n")
	}
	return time.Date(y, time.Month(mo), d, h, mi, 0, 0, loc), ""
}

// parseMinute reads an incident or schedule "Y-m-d H:i" input in the
// request's timezone (app/Services/Dates/DateFactory.php:63-66) and returns
// it in UTC, or Carbon's error message.
func parseMinute(v any, loc *time.Location) (time.Time, string) {
	t, msg := createFromFormat("Y-m-d H:i", phpString(v), loc)
	return t.UTC(), msg
}

// parseUnix reads a metric point timestamp as DateFactory::create('U', $ts)
// does: an optional "-" and digits, nothing else.
func parseUnix(v any) (int64, bool) {
	s := phpString(v)
	digits := strings.TrimPrefix(s, "-")
	if digits == "" || len(digits) > 18 || strings.Trim(digits, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// roundHalf30 is MetricPoint::setCreatedAtAttribute's 30 * round($ts / 30)
// (app/Models/MetricPoint.php:120-121, 2.4): PHP rounds halves away from 0.
func roundHalf30(ts int64) int64 {
	return int64(30 * math.Round(float64(ts)/30))
}
