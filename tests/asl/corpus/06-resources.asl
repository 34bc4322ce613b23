//// IO descriptor
    Name (RT01, ResourceTemplate () { IO (Decode16, 0x0060, 0x0060, 0x01, 0x01) })
//// IO descriptor with Decode10
    Name (RT02, ResourceTemplate () { IO (Decode10, 0x02F8, 0x02F8, 0x08, 0x08) })
//// FixedIO
    Name (RT03, ResourceTemplate () { FixedIO (0x0080, 0x10) })
//// IRQNoFlags
    Name (RT04, ResourceTemplate () { IRQNoFlags () {1} })
//// IRQNoFlags several interrupts
    Name (RT05, ResourceTemplate () { IRQNoFlags () {3, 4, 5, 7} })
//// IRQ with flags
    Name (RT06, ResourceTemplate () { IRQ (Level, ActiveLow, Shared) {5, 10, 11} })
//// IRQ edge high exclusive
    Name (RT07, ResourceTemplate () { IRQ (Edge, ActiveHigh, Exclusive) {8} })
//// DMA
    Name (RT08, ResourceTemplate () { DMA (Compatibility, NotBusMaster, Transfer8) {2} })
//// DMA bus master 16
    Name (RT09, ResourceTemplate () { DMA (TypeF, BusMaster, Transfer16) {5, 6} })
//// Memory32Fixed
    Name (RT10, ResourceTemplate () { Memory32Fixed (ReadOnly, 0xFED00000, 0x00000400) })
//// Memory32Fixed read-write
    Name (RT11, ResourceTemplate () { Memory32Fixed (ReadWrite, 0xB0000000, 0x10000000) })
//// Memory32
    Name (RT12, ResourceTemplate () { Memory32 (ReadWrite, 0x00100000, 0xFFFFF000, 0x1000, 0x1000) })
//// Interrupt one
    Name (RT13, ResourceTemplate () { Interrupt (ResourceConsumer, Level, ActiveHigh, Shared) {0x10} })
//// Interrupt several
    Name (RT14, ResourceTemplate () { Interrupt (ResourceConsumer, Edge, ActiveLow, Exclusive, , ,) {0x11, 0x12, 0x13} })
//// Interrupt producer
    Name (RT15, ResourceTemplate () { Interrupt (ResourceProducer, Level, ActiveHigh, Exclusive) {9} })
//// WordBusNumber
    Name (RT16, ResourceTemplate () { WordBusNumber (ResourceProducer, MinFixed, MaxFixed, PosDecode, 0x0000, 0x0000, 0x00FF, 0x0000, 0x0100) })
//// WordIO
    Name (RT17, ResourceTemplate () { WordIO (ResourceProducer, MinFixed, MaxFixed, PosDecode, EntireRange, 0x0000, 0x0000, 0x0CF7, 0x0000, 0x0CF8) })
//// WordIO with translation options
    Name (RT18, ResourceTemplate () { WordIO (ResourceProducer, MinFixed, MaxFixed, PosDecode, EntireRange, 0x0000, 0x0D00, 0xFFFF, 0x0000, 0xF300, , , , TypeStatic, DenseTranslation) })
//// DWordIO
    Name (RT19, ResourceTemplate () { DWordIO (ResourceProducer, MinFixed, MaxFixed, PosDecode, EntireRange, 0, 0x1000, 0x1FFF, 0, 0x1000) })
//// DWordMemory
    Name (RT20, ResourceTemplate () { DWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, Cacheable, ReadWrite, 0x00000000, 0x000A0000, 0x000BFFFF, 0x00000000, 0x00020000) })
//// DWordMemory non-cacheable
    Name (RT21, ResourceTemplate () { DWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, NonCacheable, ReadWrite, 0x00000000, 0xC0000000, 0xFEBFFFFF, 0x00000000, 0x3EC00000) })
//// QWordMemory
    Name (RT22, ResourceTemplate () { QWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, Cacheable, ReadWrite, 0, 0x0000000800000000, 0x0000000FFFFFFFFF, 0, 0x0000000800000000) })
//// QWordMemory prefetchable consumer
    Name (RT23, ResourceTemplate () { QWordMemory (ResourceConsumer, PosDecode, MinNotFixed, MaxNotFixed, Prefetchable, ReadOnly, 0, 0x100000000, 0x1FFFFFFFF, 0, 0x100000000) })
//// DWordMemory with memory type
    Name (RT24, ResourceTemplate () { DWordMemory (ResourceConsumer, PosDecode, MinFixed, MaxFixed, Cacheable, ReadWrite, 0, 0x1000, 0x1FFF, 0, 0x1000, , , , AddressRangeReserved, TypeStatic) })
//// WordSpace
    Name (RT25, ResourceTemplate () { WordSpace (0xC0, ResourceConsumer, PosDecode, MinFixed, MaxFixed, 0x5A, 0, 0x10, 0x1F, 0, 0x10) })
//// DWordSpace
    Name (RT26, ResourceTemplate () { DWordSpace (0xC1, ResourceProducer, SubDecode, MinFixed, MaxFixed, 0, 0, 0x1000, 0x1FFF, 0, 0x1000) })
//// QWordSpace
    Name (RT27, ResourceTemplate () { QWordSpace (0xC2, ResourceConsumer, PosDecode, MinNotFixed, MaxNotFixed, 0x01, 0, 0x10000, 0x1FFFF, 0, 0x10000) })
//// Register
    Name (RT28, ResourceTemplate () { Register (SystemIO, 8, 0, 0x0000000000000CF9, 1) })
//// Register FFixedHW
    Name (RT29, ResourceTemplate () { Register (FFixedHW, 0x02, 0x01, 0x0000000000000010, 0x03) })
//// VendorShort
    Name (RT30, ResourceTemplate () { VendorShort () {0x01, 0x02, 0x03} })
//// VendorLong
    Name (RT31, ResourceTemplate () { VendorLong () {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99} })
//// dependent functions
    Name (RT32, ResourceTemplate () { StartDependentFn (0, 1) { IO (Decode16, 0x03F8, 0x03F8, 0x08, 0x08) IRQNoFlags () {4} }
        StartDependentFnNoPri () { IO (Decode16, 0x02F8, 0x02F8, 0x08, 0x08) IRQNoFlags () {3} }
        EndDependentFn () })
//// empty template
    Name (RT33, ResourceTemplate () {})
//// several descriptors (ISA serial port)
    Name (RT34, ResourceTemplate () { IO (Decode16, 0x03F8, 0x03F8, 0x00, 0x08) IRQNoFlags () {4} })
//// host bridge _CRS (QEMU q35 style)
    Name (RT35, ResourceTemplate () {
        WordBusNumber (ResourceProducer, MinFixed, MaxFixed, PosDecode, 0x0000, 0x0000, 0x00FF, 0x0000, 0x0100, , , )
        IO (Decode16, 0x0CF8, 0x0CF8, 0x01, 0x08, )
        WordIO (ResourceProducer, MinFixed, MaxFixed, PosDecode, EntireRange, 0x0000, 0x0000, 0x0CF7, 0x0000, 0x0CF8, , , , TypeStatic, DenseTranslation)
        DWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, Cacheable, ReadWrite, 0x00000000, 0x000A0000, 0x000BFFFF, 0x00000000, 0x00020000, , , , AddressRangeMemory, TypeStatic) })
//// named descriptor and CreateWordField on its fields
    Name (RT36, ResourceTemplate () { IO (Decode16, 0x0000, 0x0000, 0x01, 0x01, IOR0) })
    CreateWordField (RT36, \IOR0._MIN, IOMN)
    CreateWordField (RT36, \IOR0._MAX, IOMX)
//// named descriptor fields in a device
    Device (RDV0) { Name (_HID, "MCHC000B")
        Name (_CRS, ResourceTemplate () { Memory32Fixed (ReadWrite, 0, 0x1000, MRG0) })
        CreateDWordField (_CRS, MRG0._BAS, MBAS)
        CreateDWordField (_CRS, MRG0._LEN, MLEN) }
//// named QWordMemory fields
    Name (RT38, ResourceTemplate () { QWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, Cacheable, ReadWrite, 0, 0, 0, 0, 0, , , QWR0, AddressRangeMemory, TypeStatic) })
    CreateQWordField (RT38, QWR0._MIN, QMIN)
    CreateQWordField (RT38, QWR0._MAX, QMAX)
    CreateQWordField (RT38, QWR0._LEN, QLEN)
//// named Interrupt field in a method
    Method (IRQS, 1, Serialized) { Name (RTIR, ResourceTemplate () { Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, , , IRQ0) {0} })
        CreateDWordField (RTIR, IRQ0._INT, IRQV)
        IRQV = Arg0
        Return (RTIR) }
//// bit fields of a named descriptor
    Name (RT40, ResourceTemplate () { IRQ (Level, ActiveLow, Shared, IRQ1) {5} })
    CreateBitField (RT40, IRQ1._HE, HEBT)
    CreateBitField (RT40, IRQ1._LL, LLBT)
    CreateWordField (RT40, IRQ1._INT, IRQM)
//// resource template returned and concatenated
    Method (CRS2) { Local0 = ResourceTemplate () { IO (Decode16, 0x10, 0x10, 1, 1) }
        Local1 = ResourceTemplate () { IO (Decode16, 0x20, 0x20, 1, 1) }
        Return (ConcatenateResTemplate (Local0, Local1)) }
//// Memory24
    Name (RT42, ResourceTemplate () { Memory24 (ReadWrite, 0x0100, 0x0200, 0x0001, 0x0010) })
//// GpioInt
    Name (RT43, ResourceTemplate () { GpioInt (Edge, ActiveLow, Exclusive, PullUp, 0x0000, "\\_SB.GPI0", 0x00, ResourceConsumer, , ) {0x0002} })
//// GpioInt level shared with debounce
    Name (RT44, ResourceTemplate () { GpioInt (Level, ActiveHigh, Shared, PullNone, 0x0064, "\\_SB.GPI0") {7} })
//// GpioIo
    Name (RT45, ResourceTemplate () { GpioIo (Shared, PullDown, 0x0010, 0x0020, IoRestrictionOutputOnly, "\\_SB.GPI0", 0x00, ResourceConsumer, , ) {3, 4} })
//// GpioIo input only
    Name (RT46, ResourceTemplate () { GpioIo (Exclusive, PullDefault, 0, 0, IoRestrictionInputOnly, "\\_SB.GPI0") {0x10} })
//// I2cSerialBusV2
    Name (RT47, ResourceTemplate () { I2cSerialBusV2 (0x0050, ControllerInitiated, 400000, AddressingMode7Bit, "\\_SB.I2C0", 0x00, ResourceConsumer, , Exclusive, ) })
//// I2cSerialBusV2 10-bit shared
    Name (RT48, ResourceTemplate () { I2cSerialBusV2 (0x0234, ControllerInitiated, 100000, AddressingMode10Bit, "\\_SB.I2C1", 0x00, ResourceConsumer, , Shared) })
//// named GpioInt pin field
    Name (RT49, ResourceTemplate () { GpioInt (Edge, ActiveHigh, Exclusive, PullUp, 0, "\\_SB.GPI0", 0, ResourceConsumer, GPN0) {5} })
    CreateWordField (RT49, GPN0._PIN, GPIN)
