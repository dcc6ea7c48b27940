#pragma once
// Font Awesome 4.7 code points (U+F000..U+F2E0) as UTF-8, merged into the text font at start-up.
#define ICON_MOBILE "\xef\x84\x8b"
#define ICON_DESKTOP "\xef\x84\x88"
#define ICON_LAPTOP "\xef\x84\x89"
#define ICON_TABLET "\xef\x84\x8a"
#define ICON_SERVER "\xef\x88\xb3"
#define ICON_GLOBE "\xef\x82\xac"
#define ICON_ENVELOPE "\xef\x83\xa0"
#define ICON_TRASH "\xef\x87\xb8"
#define ICON_PAPER_PLANE "\xef\x87\x98"
#define ICON_CHAIN_BROKEN "\xef\x84\xa7"
#define ICON_CHECK "\xef\x80\x8c"
#define ICON_CLOCK "\xef\x80\x97"
#define ICON_TIMES "\xef\x80\x8d"
#define ICON_PLAY "\xef\x81\x8b"
#define ICON_PAUSE "\xef\x81\x8c"
#define ICON_STEP_BACKWARD "\xef\x81\x88"
#define ICON_STEP_FORWARD "\xef\x81\x91"
#define ICON_FAST_BACKWARD "\xef\x81\x89"
#define ICON_FAST_FORWARD "\xef\x81\x90"
#define ICON_QUESTION "\xef\x84\xa8"
#define ICON_BOOK "\xef\x80\xad"
#define ICON_PLUG "\xef\x87\xa6"  // plug, U+F1E6
#define ICON_STOP "\xef\x81\x8d"  // stop, U+F04D
#define ICON_INFO "\xef\x81\x9a"  // info-circle, U+F05A
