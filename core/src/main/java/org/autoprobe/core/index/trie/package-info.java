/**
 * Reading kmod's binary index files ({@code modules.dep.bin}, {@code modules.alias.bin}, ...):
 * the on-disk radix trie libkmod consults, with libkmod's exact and wildcard searches.
 */
package org.autoprobe.core.index.trie;
