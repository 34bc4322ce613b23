/* APIC */
[000h 0000   4]                    Signature : "APIC"
[004h 0004   4]                 Table Length : 00000078
[008h 0008   1]                     Revision : 05
[009h 0009   1]                     Checksum : 43
[00Ah 0010   6]                       Oem ID : "MACHC "
[010h 0016   8]                 Oem Table ID : "MACHCQ35"
[018h 0024   4]                 Oem Revision : 00000001
[01Ch 0028   4]              Asl Compiler ID : "MCHC"
[020h 0032   4]        Asl Compiler Revision : 00000001
[024h 0036   4]           Local Apic Address : FEE00000
[028h 0040   4]  Flags (PC-AT Compatibility) : 00000001

[02Ch 0044   1]                Subtable Type : 00
[02Dh 0045   1]                       Length : 08
[02Eh 0046   1]                 Processor ID : 00
[02Fh 0047   1]                Local Apic ID : 00
[030h 0048   4]                        Flags : 00000001
                                               Processor Enabled

[034h 0052   1]     Subtable Type (I/O APIC) : 01
[035h 0053   1]                       Length : 0C
[036h 0054   1]                  I/O Apic ID : 00
[037h 0055   1]                     Reserved : 00
[038h 0056   4]                      Address : FEC00000
[03Ch 0060   4]         Interrupt (GSI base) : 00000000

[040h 0064   1] Subtable Type (Source Override) : 02
[041h 0065   1]                       Length : 0A
[042h 0066   1]                    Bus (ISA) : 00
[043h 0067   1]                       Source : 00
[044h 0068   4]                    Interrupt : 00000002
[048h 0072   2]    Flags (Polarity, Trigger) : 0000

[04Ah 0074   1] Subtable Type (Source Override) : 02
[04Bh 0075   1]                       Length : 0A
[04Ch 0076   1]                    Bus (ISA) : 00
[04Dh 0077   1]                       Source : 05
[04Eh 0078   4]                    Interrupt : 00000005
[052h 0082   2]    Flags (Polarity, Trigger) : 000D

[054h 0084   1] Subtable Type (Source Override) : 02
[055h 0085   1]                       Length : 0A
[056h 0086   1]                    Bus (ISA) : 00
[057h 0087   1]                       Source : 09
[058h 0088   4]                    Interrupt : 00000009
[05Ch 0092   2]    Flags (Polarity, Trigger) : 000D

[05Eh 0094   1] Subtable Type (Source Override) : 02
[05Fh 0095   1]                       Length : 0A
[060h 0096   1]                    Bus (ISA) : 00
[061h 0097   1]                       Source : 0A
[062h 0098   4]                    Interrupt : 0000000A
[066h 0102   2]    Flags (Polarity, Trigger) : 000D

[068h 0104   1] Subtable Type (Source Override) : 02
[069h 0105   1]                       Length : 0A
[06Ah 0106   1]                    Bus (ISA) : 00
[06Bh 0107   1]                       Source : 0B
[06Ch 0108   4]                    Interrupt : 0000000B
[070h 0112   2]    Flags (Polarity, Trigger) : 000D

[072h 0114   1] Subtable Type (Local APIC NMI) : 04
[073h 0115   1]                       Length : 06
[074h 0116   1]           Processor ID (all) : FF
[075h 0117   2]                        Flags : 0000
[077h 0119   1]         Interrupt Input LINT : 01
