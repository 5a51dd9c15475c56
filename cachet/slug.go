package cachet

import "github.com/cachetsync/cachetsync/internal/laravelslug"

// Slug returns the slug Cachet 2.4 gives a tag name: Laravel 5.7's
// Str::slug (app/Models/Tag.php:45 and :76). The name is transliterated to
// ASCII with Laravel's table (é→e, ß→ss, Ж→zh, ...; what has no entry, such
// as CJK or emoji, is dropped), "_" becomes "-", "@" becomes "-at-",
// everything but letters, digits, "-" and white space is removed, the rest
// is lower-cased, and runs of "-" and white space become one "-" with none
// at either end. Two names with the same slug are the same tag; a name of
// only CJK characters has an empty slug.
func Slug(name string) string { return laravelslug.Slug(name) }

// SlugV23 is Slug as Cachet v2.3.18 computes it (Laravel 5.2's Str::slug):
// a different transliteration table (ü→ue, ä→ae, @→at) and no "-at-".
func SlugV23(name string) string { return laravelslug.SlugV23(name) }
