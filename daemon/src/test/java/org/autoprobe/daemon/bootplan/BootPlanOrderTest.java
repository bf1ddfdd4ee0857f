package org.autoprobe.daemon.bootplan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The order in which the plan's runner takes its devices: mass-storage, then USB host controllers, then the plan's. */
class BootPlanOrderTest {
    @Test
    void massStorageControllersAreStartedFirstThenUsbHostControllersTheRestInThePlansOrder() {
        Map<String, BootPlan.Device> devices = new LinkedHashMap<>();
        for (BootPlan.Device d : List.of(
                new BootPlan.Device("/nic", "DRIVER=x\nPCI_CLASS=20000\nPCI_ID=8086:100E\n", List.of(), List.of("e1000")),
                new BootPlan.Device("/ide", "PCI_CLASS=10180\nPCI_ID=8086:7010\n", List.of(), List.of("ata_piix")),
                new BootPlan.Device("/usb", "PCI_CLASS=C0320\n", List.of(), List.of("ehci_pci")),
                new BootPlan.Device("/nvme", "MODALIAS=pci:v\nPCI_CLASS=10802", List.of(), List.of("nvme")),
                new BootPlan.Device("/input", "MODALIAS=input:b0011\n", List.of(), List.of("evdev")),
                new BootPlan.Device("/odd", "PCI_CLASS=zz\nX_PCI_CLASS=10000\n", List.of(), List.of("x")),
                new BootPlan.Device("/sata", "PCI_CLASS=010601\n", List.of(), List.of("ahci")),
                new BootPlan.Device("/smbus", "PCI_CLASS=C0500\n", List.of(), List.of("i2c_piix4")),
                new BootPlan.Device("/xhci", "PCI_CLASS=0C0330\n", List.of(), List.of("xhci_pci")))) {
            devices.put(d.devpath(), d);
        }
        assertEquals(List.of("/ide", "/nvme", "/sata", "/usb", "/xhci", "/nic", "/input", "/odd", "/smbus"),
                BootPlanRunner.order(devices, Map.of()));
    }

    @Test
    void withinEachKindTheLongestChainOfModulesGoesFirst() {
        Map<String, BootPlan.Module> modules = new LinkedHashMap<>();
        for (BootPlan.Module m : List.of(
                new BootPlan.Module("evdev", "/m/evdev.ko", "", List.of(), List.of()),
                new BootPlan.Module("cryptd", "/m/cryptd.ko", "", List.of(), List.of()),
                new BootPlan.Module("crypto_simd", "/m/crypto_simd.ko", "", List.of("cryptd"), List.of()),
                new BootPlan.Module("aesni_intel", "/m/aesni_intel.ko", "", List.of("cryptd", "crypto_simd"), List.of()),
                new BootPlan.Module("soundcore", "/m/soundcore.ko", "", List.of(), List.of()),
                new BootPlan.Module("snd", "/m/snd.ko", "", List.of("soundcore"), List.of()),
                new BootPlan.Module("snd_pcm", "/m/snd_pcm.ko", "", List.of("snd"), List.of()),
                new BootPlan.Module("snd_ens1370", "/m/snd_ens1370.ko", "", List.of("snd", "soundcore"), List.of("snd_pcm")),
                new BootPlan.Module("loop_a", "/m/loop_a.ko", "", List.of("loop_b"), List.of()),
                new BootPlan.Module("loop_b", "/m/loop_b.ko", "", List.of("loop_a"), List.of()),
                new BootPlan.Module("ata_piix", "/m/ata_piix.ko", "", List.of(), List.of()))) {
            modules.put(m.name(), m);
        }
        Map<String, BootPlan.Device> devices = new LinkedHashMap<>();
        for (BootPlan.Device d : List.of(
                new BootPlan.Device("/input", "MODALIAS=input:b0011\n", List.of(), List.of("evdev")),
                new BootPlan.Device("/sound", "PCI_CLASS=40100\n", List.of(), List.of("snd_ens1370")),
                new BootPlan.Device("/loop", "X=1\n", List.of(), List.of("loop_a")),
                new BootPlan.Device("/ide", "PCI_CLASS=10180\n", List.of(), List.of("ata_piix")),
                new BootPlan.Device("/cpu", "MODALIAS=cpu:type\n", List.of(), List.of("evdev", "aesni_intel")))) {
            devices.put(d.devpath(), d);
        }
        // sound: a chain of 4 (a softdep counts); the CPU and the loop (counted until it closes): 3; input: 1
        assertEquals(List.of("/ide", "/sound", "/loop", "/cpu", "/input"), BootPlanRunner.order(devices, modules));
    }

    @Test
    void onlyBaseClassOneIsMassStorage() {
        assertTrue(BootPlanRunner.massStorage("PCI_CLASS=10000\n"));
        assertTrue(BootPlanRunner.massStorage("A=1\nPCI_CLASS=1FFFF"));
        assertFalse(BootPlanRunner.massStorage("PCI_CLASS=20000\n"));
        assertFalse(BootPlanRunner.massStorage("PCI_CLASS=1000\n"), "class 00:10:00, not 01");
        assertFalse(BootPlanRunner.massStorage("PCI_CLASS=\n"));
        assertFalse(BootPlanRunner.massStorage("PCI_CLASS=1000000\n"), "more than 24 bits");
        assertFalse(BootPlanRunner.massStorage("PCI_CLASS=-10000\n"));
        assertFalse(BootPlanRunner.massStorage("MY_PCI_CLASS=10000\n"));
        assertFalse(BootPlanRunner.massStorage(""));
    }

    @Test
    void onlyClassZeroCThreeIsAUsbHostController() {
        assertTrue(BootPlanRunner.usbController("PCI_CLASS=C0330\n"));
        assertTrue(BootPlanRunner.usbController("A=1\nPCI_CLASS=0C0300"));
        assertFalse(BootPlanRunner.usbController("PCI_CLASS=C0500\n"), "SMBus");
        assertFalse(BootPlanRunner.usbController("PCI_CLASS=C03\n"), "class 00:0C:03");
        assertFalse(BootPlanRunner.usbController("PCI_CLASS=10000\n"));
        assertFalse(BootPlanRunner.usbController(""));
    }
}
