#ifndef PAIL_CGDKPIXBUF_SHIM_H
#define PAIL_CGDKPIXBUF_SHIM_H
// gdk-pixbuf decodes images from memory through its loaders (JPEG and PNG built in on
// Debian, GIF, WebP and AVIF as modules). g_signal_connect is a macro Swift cannot call, and
// the size check must run inside the loader's own callback, before it allocates the pixels:
// both are here.
#include <gdk-pixbuf/gdk-pixbuf.h>

/// What the size-prepared callback decides, read back by Swift after each write.
typedef struct {
    gint64 max_pixels;   // above this the image is refused
    gint max_side;       // above this the decoded pixels are scaled down (aspect kept)
    gint width;          // the image's own size, as its header says
    gint height;
    gboolean refused;
} PailSizeGuard;

static void pail_size_prepared(GdkPixbufLoader *loader, gint width, gint height, gpointer data) {
    PailSizeGuard *guard = (PailSizeGuard *)data;
    guard->width = width;
    guard->height = height;
    if (width <= 0 || height <= 0 || (gint64)width * (gint64)height > guard->max_pixels) {
        // A zero size makes gdk-pixbuf's own loaders stop with an error instead of
        // allocating; the flag covers loaders that ignore it.
        guard->refused = TRUE;
        gdk_pixbuf_loader_set_size(loader, 0, 0);
        return;
    }
    if (guard->max_side > 0 && (width > guard->max_side || height > guard->max_side)) {
        // The JPEG loader then decodes at a smaller scale; the others scale when they are done.
        gint w = width >= height ? guard->max_side : (gint)((gint64)width * guard->max_side / height);
        gint h = height > width ? guard->max_side : (gint)((gint64)height * guard->max_side / width);
        gdk_pixbuf_loader_set_size(loader, w > 0 ? w : 1, h > 0 ? h : 1);
    }
}

static inline void pail_pixbuf_guard_size(GdkPixbufLoader *loader, PailSizeGuard *guard) {
    g_signal_connect(loader, "size-prepared", G_CALLBACK(pail_size_prepared), guard);
}

static GLogWriterOutput pail_glib_log_discard(GLogLevelFlags level, const GLogField *fields, gsize n, gpointer data) {
    (void)level; (void)fields; (void)n; (void)data;
    return G_LOG_WRITER_HANDLED;
}

static void pail_glib_log_discard_old(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data) {
    (void)domain; (void)level; (void)message; (void)data;
}

/// GLib's warnings (a loader's complaint about a hostile file) would land on the terminal
/// the browser draws on; the decoder reports its own one-line errors instead.
static inline void pail_glib_silence(void) {
    g_log_set_writer_func(pail_glib_log_discard, NULL, NULL);
    g_log_set_default_handler(pail_glib_log_discard_old, NULL);
}

static inline void pail_gobject_unref(gpointer object) { g_object_unref(object); }

#endif
