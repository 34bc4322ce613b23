/* RSDP */
[000h 0000   8]                    Signature : "RSD PTR "
[008h 0008   1]                     Checksum : 63
[009h 0009   6]                       Oem ID : "MACHC "
[00Fh 0015   1]                     Revision : 02
[010h 0016   4]                 RSDT Address : 00000000 (address of RSDT)
[014h 0020   4]                       Length : 00000024
[018h 0024   8]                 XSDT Address : 0000000000000000 (address of XSDT)
[020h 0032   1]            Extended Checksum : DC
[021h 0033   3]                     Reserved : 000000
