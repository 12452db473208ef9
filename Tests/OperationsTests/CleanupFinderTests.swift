import Foundation
import XCTest
@testable import Operations
import S3

final class CleanupFinderTests: XCTestCase {
    func testDjangoCollisionRenamesAreRecognisedExactly() {
        XCTAssertEqual(DuplicateFinder.djangoOriginal(of: "media/photo_AbC1234.jpg"), "media/photo.jpg")
        XCTAssertEqual(DuplicateFinder.djangoOriginal(of: "a/b/report.tar_zz99ZZ9.gz"), "a/b/report.tar.gz",
                       "splitext: the last")
        XCTAssertEqual(DuplicateFinder.djangoOriginal(of: "LICENSE_abcdefg"), "LICENSE")
        for plain in ["media/photo.jpg", "media/photo_AbC123.jpg", "media/photo_AbC12345.jpg",
                      "media/photo-AbC1234.jpg",
                      "media/_AbC1234.jpg", "a/report_zz99ZZ9.tar.gz", "media/photo_Ab\u{E9}1234.jpg",
                      "dir_AbC1234/photo.jpg"] {
            XCTAssertNil(DuplicateFinder.djangoOriginal(of: plain), plain)
        }
    }

    func testDuplicatesKeepTheOldestAndLeaveOutEmptyObjectsAndMarkers() {
        func o(_ k: String, _ size: Int64, _ etag: String, _ t: Double) -> ObjectSummary {
            ObjectSummary(key: k, size: size, lastModified: Date(timeIntervalSince1970: t), etag: etag,
                          storageClass: nil)
        }
        var finder = DuplicateFinder()
        let md5 = "0123456789abcdef0123456789abcdef"
        finder.add([o("m/photo_AbC1234.jpg", 10, md5, 100), o("m/photo.jpg", 10, md5.uppercased(), 100),
                    o("m/later.jpg", 10, md5, 200), o("m/other.jpg", 11, md5, 50), o("m/e1", 0, "d41d", 1),
                    o("m/e2", 0, "d41d", 1), o("m/dir/", 10, md5, 1)])
        let groups = finder.groups
        XCTAssertEqual(groups.count, 1)
        XCTAssertEqual(groups[0].objects.map(\.key), ["m/photo.jpg", "m/photo_AbC1234.jpg", "m/later.jpg"])
        XCTAssertEqual(groups[0].reclaimable, 20)
        XCTAssertFalse(groups[0].isMultipartETag)
        XCTAssertEqual(finder.scanned, 7)
    }

    func testHashedStaticNamesAreDjangosForm() {
        for hashed in ["static/css/site.55e7cbb9ba48.css", "static/js/jquery.min.0123456789ab.js",
                       "static/LICENSE.0123456789ab"] {
            XCTAssertTrue(StaleStatic.isHashed(hashed), hashed)
        }
        for plain in ["static/css/site.css", "static/css/site.55E7CBB9BA48.css", "static/css/site.55e7cbb9ba4.css",
                      "static/css/site.55e7cbb9ba48.css.gz", "static/.55e7cbb9ba48.css",
                      "static/a.0123456789ab/x.css"] {
            XCTAssertFalse(StaleStatic.isHashed(plain), plain)
        }
    }

    func testStaleMeansHashedAndUnreferencedOnly() throws {
        let manifest = Data(#"{"paths": {"css/site.css": "css/site.55e7cbb9ba48.css"}, "version": "1.1"}"#.utf8)
        let stale = try StaleStatic(prefix: "static/", manifest: manifest)
        func o(_ k: String) -> ObjectSummary {
            ObjectSummary(key: k, size: 1, lastModified: Date(), etag: "", storageClass: nil)
        }
        XCTAssertFalse(stale.isStale(o("static/css/site.55e7cbb9ba48.css")), "referenced")
        XCTAssertTrue(stale.isStale(o("static/css/site.0000000000aa.css")), "superseded")
        XCTAssertFalse(stale.isStale(o("static/css/site.css")), "an original")
        XCTAssertFalse(stale.isStale(o("other/css/site.0000000000aa.css")), "outside the prefix")
        XCTAssertThrowsError(try StaleStatic(prefix: "static/", manifest: Data("<html>".utf8)))
    }

    func testSizesAndCriteria() throws {
        XCTAssertEqual(try ByteCount.parse("1000"), 1000)
        XCTAssertEqual(try ByteCount.parse("500K"), 512_000)
        XCTAssertEqual(try ByteCount.parse("10MB"), 10 << 20)
        XCTAssertEqual(try ByteCount.parse("1.5GiB"), 3 << 29)
        for bad in ["", "ten", "-1", "5X", "1e30T"] { XCTAssertThrowsError(try ByteCount.parse(bad), bad) }
        var c = ObjectCriteria()
        c.name = "*.jpg"
        let nfd = ObjectSummary(key: "m/cafe\u{301}.jpg", size: 1, lastModified: nil, etag: "", storageClass: nil)
        XCTAssertTrue(c.matches(nfd))
        c.name = "caf\u{E9}.jpg"
        XCTAssertFalse(c.matches(nfd), "names match by bytes, not by canonical equivalence")
    }
}
