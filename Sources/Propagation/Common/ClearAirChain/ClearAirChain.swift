// The clear-air chain that ITU-R P.452-18 (10/2023) and ITU-R P.1812-8 (09/2025) share, written once.
//
// Both Recommendations build their prediction from the same radio-meteorological parameters, the same
// spherical-Earth diffraction and delta-Bullington composition, and the same ducting/layer-reflection model; the
// texts repeat these equation for equation. What is here is only what the two texts (and their SG3 validation
// data) have in common; each caller passes its Recommendation's own values where they differ. Equation numbers
// are cited for both: "P.1812 Eq. (n)" with the labels of the SG3 P.1812 validation logs, "P.452 Eq. (n)" with
// those of P.452-17 as the SG3 reference implementation of P.452-18 cites them (see P1812.swift and P452.swift).
//
// Held here:
// - radio meteorology (RadioMeteorology.swift): τ, μ1, μ4 and β0; k50, a_e and a_β; the great-circle path centre
//   of ITU-R P.2001 Attachment H, which both use for the path-centre latitude of β0;
// - diffraction (ClearAirDiffraction.swift): the first-term spherical-Earth loss with the Recommendations' rounded
//   constants 0.036, 21.88, 0.9575 and the land/sea ω mix, the spherical-Earth loss L_dsph with λ = 0.2998 / f,
//   and the delta-Bullington composition L_d = L_bulla + max(L_dsph − L_bulls, 0);
// - anomalous propagation (AnomalousPropagation.swift): the ducting/layer-reflection loss, its site-shielding and
//   over-sea coupling terms, A_f and A_d(p);
// - the smooth-Earth surfaces (SmoothEarthSurface.swift): the least-squares surface, and the heights h_te, h_re
//   and roughness h_m of the ducting model (each model passes the index range of h_m that it uses);
// - the blending (ClearAirCombination.swift): E_sp, E_sβ, F_k, L_minb0p, L_bda and L_bam.
//
// Kept in each model, because the Recommendations (or their validation data) differ:
// - the radio-climatic zone codes and the way d_tm, d_lm, ω are measured along the profile;
// - the Bullington construction: P.452 calls `P526.bullington` with c = 2.998e8 m/s; P.1812 runs its own
//   flat-buffer loops with λ = 0.2998 / f (same equations, different arithmetic order: see P1812Diffraction.swift);
// - the rest of the profile analysis (P.452 Attachment 2, P.1812 Attachment 1: horizon search, obstruction
//   arithmetic for h_std, h_srd; P.1812 takes h_m between min(i_lt, i_lr) and max(i_lt, i_lr), P.452 from i_lt);
// - free space (P.452 adds gaseous attenuation A_g, also to L_ba), troposcatter (190 vs 190.1, 10.1 vs 10.125,
//   P.452's antenna coupling L_c and gases), the interpolation factor F_j (P.452 on S_tim − S_tr, P.1812 on θ),
//   L_minbap (P.452 writes it without overflow), and the final combinations (P.1812's location variability,
//   building entry and field strength).
import Foundation

/// The parts of the P.452-18 / P.1812-8 clear-air prediction that the two Recommendations share. Pure functions.
enum ClearAirChain {}
