//// integer zero
    Name (INT0, 0)
//// integer one
    Name (INT1, 1)
//// integer byte
    Name (INTB, 0x7F)
//// integer word
    Name (INTW, 0x1234)
//// integer dword
    Name (INTD, 0xFEDC0000)
//// integer qword
    Name (INTQ, 0x0000000100000000)
//// integer all ones 64-bit is Ones
    Name (ONE6, 0xFFFFFFFFFFFFFFFF)
//// integer 0xFFFFFFFF in a 64-bit table stays a dword
    Name (DW32, 0xFFFFFFFF)
//// integer 0xFFFFFFFF in a revision-1 table is Ones [rev1]
    Name (DW32, 0xFFFFFFFF)
//// integer padded literal shrinks
    Name (PADW, 0x0000)
//// decimal literal
    Name (DEC1, 1000)
//// octal literal
    Name (OCT1, 0755)
//// keywords Zero One Ones
    Name (KZER, Zero)
    Name (KONE, One)
    Name (KONS, Ones)
//// Ones in a revision-1 table [rev1]
    Name (KONS, Ones)
//// revision
    Name (KREV, Revision)
//// string
    Name (STR1, "QEMU0001")
//// empty string
    Name (STR0, "")
//// string escapes
    Name (STRE, "tab\tnl\nq\"bs\\x\x41o\101")
//// lower-case names are upper-cased
    Name (abcd, 5)
    Name (_x, 6)
//// buffer from bytes
    Name (BUF1, Buffer () {0x01, 0x02, 0x03, 0x04})
//// buffer with size only
    Name (BUF2, Buffer (0x10) {})
//// buffer larger than its bytes
    Name (BUF3, Buffer (8) {0xAA, 0x55})
//// buffer smaller than its bytes grows
    Name (BUF4, Buffer (1) {1, 2, 3})
//// buffer from a string
    Name (BUF5, Buffer () {"machc"})
//// buffer of 300 bytes (two-byte package length)
    Name (BUF6, Buffer (300) {})
//// buffer of 5000 bytes (three-byte package length)
    Name (BUF7, Buffer (5000) {})
//// buffer with 70 bytes of data
    Name (BUF8, Buffer () {
        0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09,
        0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19,
        0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29,
        0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39,
        0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49,
        0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59,
        0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69})
//// package of integers
    Name (PKG1, Package () {0, 1, 2, 0x100, 0x10000, 0xFFFFFFFFFFFFFFFF})
//// package with count larger than elements
    Name (PKG2, Package (6) {1, 2})
//// empty package with a count
    Name (PKG3, Package (0xFF) {})
//// empty package
    Name (PKG4, Package () {})
//// package of strings and buffers
    Name (PKG5, Package () {"a", "bc", Buffer () {1, 2}, Package () {3}})
//// package holding names
    Name (OBJA, 1)
    Name (OBJB, "b")
    Name (PKG6, Package () {OBJA, OBJB, \OBJA})
//// package of 256 elements is a VarPackage
    Name (PKG7, Package (0x100) {1})
//// package count from a constant expression
    Name (PKG8, Package (1 + 2) {1, 2, 3})
//// sleep state packages
    Name (_S3, Package (0x04) {One, One, Zero, Zero})
    Name (_S4, Package (0x04) {0x02, 0x02, Zero, Zero})
    Name (_S5, Package (0x04) {Zero, Zero, Zero, Zero})
//// nested packages (a _PRT)
    Name (PRT0, Package () {
        Package () {0x0001FFFF, 0, 0, 16},
        Package () {0x0001FFFF, 1, 0, 17},
        Package () {0x0001FFFF, 2, 0, 18},
        Package () {0x0001FFFF, 3, 0, 19}})
//// EisaId
    Name (_HID, EisaId ("PNP0A08"))
    Name (_CID, EisaId ("PNP0A03"))
//// EisaId in a package
    Name (_CID, Package () {EisaId ("PNP0C02"), EisaId ("PNP0C01")})
//// ToUUID
    Name (UUID, ToUUID ("e5c937d0-3553-4d7a-9117-ea4d19c3434d"))
//// ToUUID upper case
    Name (UUIU, ToUUID ("33DB4D5B-1FF7-401C-9657-7441C03DD766"))
//// Unicode
    Name (UNI1, Unicode ("machc NIC"))
//// string _HID and _UID
    Name (_HID, "ACPI0010")
    Name (_UID, "CPUs")
//// _STR as Unicode
    Name (_STR, Unicode ("Custom Device"))
//// integer _ADR values
    Name (_ADR, 0x001F0003)
//// nested package of packages of strings
    Name (PKG9, Package () {Package () {"hid", "ACPI0001"}, Package () {"uid", One}})
//// Device-specific data package (_DSD)
    Name (_DSD, Package () {
        ToUUID ("daffd814-6eba-4d8c-8a91-bc9bbf4aa301"),
        Package () {
            Package () {"compatible", "machc,test"},
            Package () {"reg", 0x10}}})
