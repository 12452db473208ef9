#ifndef PAIL_CNCURSES_SHIM_H
#define PAIL_CNCURSES_SHIM_H
// ncursesw with wide-character functions, plus the macros Swift cannot import.
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <ncursesw/curses.h>
#include <locale.h>
#include <wchar.h>

static inline int pail_getmaxy(WINDOW *w) { return getmaxy(w); }
static inline int pail_getmaxx(WINDOW *w) { return getmaxx(w); }
static inline int pail_color_pair(int n) { return (int)COLOR_PAIR(n); }
static inline int pail_a_bold(void) { return (int)A_BOLD; }
static inline int pail_a_reverse(void) { return (int)A_REVERSE; }
static inline int pail_a_dim(void) { return (int)A_DIM; }
static inline int pail_a_underline(void) { return (int)A_UNDERLINE; }
static inline mmask_t pail_all_mouse_events(void) { return ALL_MOUSE_EVENTS | REPORT_MOUSE_POSITION; }
static inline int pail_key_mouse(void) { return KEY_MOUSE; }
// Mouse buttons are macros built from shifts: expose them as values.
static inline mmask_t pail_button1_clicked(void) { return BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_RELEASED; }
static inline mmask_t pail_button1_double(void) { return BUTTON1_DOUBLE_CLICKED; }
static inline mmask_t pail_wheel_up(void) { return BUTTON4_PRESSED; }
static inline mmask_t pail_wheel_down(void) {
#ifdef BUTTON5_PRESSED
    return BUTTON5_PRESSED;
#else
    return 0;
#endif
}
static inline int pail_key_resize(void) { return KEY_RESIZE; }
static inline int pail_mvadd_wchstr(int y, int x, const wchar_t *s, int n, int attr) {
    // Draw n wide characters with one attribute; curses measures their width.
    attr_t a = (attr_t)attr;
    attrset(a);
    return mvaddnwstr(y, x, s, n);
}
static inline int pail_colors(void) { return COLORS; }
static inline int pail_color_pairs(void) { return COLOR_PAIRS; }
static inline int pail_mvadd_wchstr_pair(int y, int x, const wchar_t *s, int n, int attr, int pair) {
    // As above with a colour pair past COLOR_PAIR's 8 bits (a picture's palette cells).
    attr_set((attr_t)attr, (short)pair, NULL);
    return mvaddnwstr(y, x, s, n);
}
#endif
