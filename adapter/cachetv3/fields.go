package cachetv3

// subscriberAttributes are the subscriber attributes liveSubscriber reads
// (the id, e-mail address, global and verified). ReadLive asks for only
// these, a sparse fieldset, which leaves out three timestamps per
// subscriber: about 40% of a page of 100. The server still computes them
// (core:src/Http/Resources/Subscriber.php builds every attribute before
// the fieldset picks), but sends less, and the client decodes less.
var subscriberAttributes = []string{"id", "email", "global", "verified"}
