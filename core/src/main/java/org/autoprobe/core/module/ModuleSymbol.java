package org.autoprobe.core.module;

/**
 * A symbol a module exports or needs.
 *
 * @param name the symbol's name
 * @param crc  its modversions CRC, or 0 when unknown
 * @param weak true for an undefined symbol bound weakly
 */
public record ModuleSymbol(String name, long crc, boolean weak) {
}
