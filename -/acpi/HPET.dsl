/* HPET */
[000h 0000   4]                    Signature : "HPET"
[004h 0004   4]                 Table Length : 00000038
[008h 0008   1]                     Revision : 01
[009h 0009   1]                     Checksum : 71
[00Ah 0010   6]                       Oem ID : "MACHC "
[010h 0016   8]                 Oem Table ID : "MACHCQ35"
[018h 0024   4]                 Oem Revision : 00000001
[01Ch 0028   4]              Asl Compiler ID : "MCHC"
[020h 0032   4]        Asl Compiler Revision : 00000001
[024h 0036   4]            Hardware Block ID : 8086A201
[028h 0040  12]         Timer Block Register : [Generic Address Structure] SystemMemory, width 0, offset 0, access 0, address 00000000FED00000
[034h 0052   1]              Sequence Number : 00
[035h 0053   2]          Minimum Clock Ticks : 0000
[037h 0055   1]      Flags (Page Protection) : 00
